using GraphExec.Api.Infrastructure;
using GraphExec.Core.Data;
using GraphExec.Core.Quotas;
using Microsoft.Extensions.Options;

namespace GraphExec.Api.Features.Graphs;

/// <summary>What saving a graph takes, bound per request.</summary>
public sealed record GraphWriting(
    GraphExecDbContext Db, GraphBody Body, GraphVersionCache Versions, IOptions<QuotaOptions> Quotas, TimeProvider Time)
{
    public UserQuotas QuotasOf(Guid ownerId) => Quotas.Value.For(ownerId);
}
