using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Engine;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Core.Graphs;

/// <summary>
/// The newest version of an owner's graph, compiled through the <see cref="PlanCache"/>: the one lookup of every trigger
/// that starts the newest version (manual runs and schedules in the Api, deliveries in the webhook ingress).
/// </summary>
public sealed class NewestPlans(GraphExecDbContext db, GraphVersionCache versions, PlanCache plans)
{
    public async Task<NewestPlan> GetAsync(Guid ownerId, Guid graphId, CancellationToken cancellationToken)
    {
        var version = await db.Graphs.AsNoTracking()
            .Existing(ownerId, graphId)
            .Select(g => (int?)g.Version)
            .SingleOrDefaultAsync(cancellationToken);
        if (version is not { } newest)
        {
            return new NewestPlan.NotFound();
        }

        try
        {
            var plan = await plans.GetAsync(ownerId, new GraphReference(graphId, newest), versions, cancellationToken);
            return plan is null ? new NewestPlan.NotFound() : new NewestPlan.Found(newest, plan);
        }
        catch (InvalidGraphException exception)
        {
            // Saved graphs were valid; this only happens when a block they use has since changed.
            return new NewestPlan.NoLongerValid(newest, exception.Message);
        }
    }
}
