using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Engine;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Api.Infrastructure;

/// <summary>The newest version of a graph, compiled: what a run or a schedule checks its inputs against.</summary>
/// <param name="Conflict">Set when the saved version no longer validates.</param>
public sealed record NewestPlan(int Version, ExecutionPlan? Plan, ProblemHttpResult? Conflict);

public static class GraphPlans
{
    /// <returns>Null when the owner has no such graph (or deleted it).</returns>
    public static async Task<NewestPlan?> NewestAsync(
        GraphExecDbContext db, GraphVersionCache versions, PlanCache plans, Guid ownerId, Guid graphId, CancellationToken cancellationToken)
    {
        var version = await db.Graphs.AsNoTracking()
            .Where(g => g.OwnerId == ownerId && g.Id == graphId && g.DeletedAt == null)
            .Select(g => (int?)g.Version)
            .SingleOrDefaultAsync(cancellationToken);
        if (version is not { } pinned)
        {
            return null;
        }

        try
        {
            var plan = await plans.GetAsync(ownerId, new GraphReference(graphId, pinned), versions, cancellationToken);
            return plan is null ? null : new NewestPlan(pinned, plan, null);
        }
        catch (InvalidGraphException exception)
        {
            // Saved graphs were valid; this only happens when a block they use has since changed.
            return new NewestPlan(pinned, null, TypedResults.Problem(
                title: "The graph's saved version is no longer valid.", detail: exception.Message, statusCode: StatusCodes.Status409Conflict));
        }
    }

    public static Task<bool> ExistsAsync(GraphExecDbContext db, Guid ownerId, Guid graphId, CancellationToken cancellationToken) =>
        db.Graphs.AnyAsync(g => g.OwnerId == ownerId && g.Id == graphId && g.DeletedAt == null, cancellationToken);
}
