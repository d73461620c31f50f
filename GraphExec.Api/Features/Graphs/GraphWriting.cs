using GraphExec.Api.Infrastructure;
using GraphExec.Core.Data;
using GraphExec.Core.Quotas;
using GraphExec.Engine;
using GraphExec.Engine.Validation;
using Microsoft.Extensions.Options;

namespace GraphExec.Api.Features.Graphs;

/// <summary>What saving a graph takes, bound per request.</summary>
public sealed record GraphWriting(
    GraphExecDbContext Db, GraphBody Body, GraphVersionCache Versions, IOptions<QuotaOptions> Quotas, TimeProvider Time)
{
    public UserQuotas QuotasOf(Guid ownerId) => Quotas.Value.For(ownerId);

    /// <summary>What the graph names that the owner does not have: secrets, and the error handler of its settings.</summary>
    /// <param name="graphId">The graph saved, null for a new one.</param>
    public async Task<IReadOnlyList<ValidationError>> FindInvalidReferencesAsync(
        Guid ownerId, Guid? graphId, ExecutionPlan plan, CancellationToken cancellationToken) =>
        [.. await Db.FindMissingAsync(ownerId, plan, cancellationToken),
         .. await Db.FindInvalidAsync(ownerId, graphId, plan.Graph, cancellationToken)];
}
