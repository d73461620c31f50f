using GraphExec.Core.Data;
using GraphExec.Core.Graphs;
using GraphExec.Core.Quotas;
using Microsoft.Extensions.Options;

namespace GraphExec.Api.Features.Schedules;

/// <summary>What saving a schedule takes, bound per request.</summary>
public sealed record ScheduleWriting(GraphExecDbContext Db, NewestPlans Plans, IOptions<QuotaOptions> Quotas, TimeProvider Time)
{
    public UserQuotas QuotasOf(Guid ownerId) => Quotas.Value.For(ownerId);
}
