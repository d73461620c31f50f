using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Engine;
using Npgsql;

namespace GraphExec.Core.Graphs;

/// <summary>
/// The newest version of an owner's graph, compiled through the <see cref="PlanCache"/>: the one lookup of every trigger
/// that starts the newest version (manual runs and schedules in the Api, deliveries in the webhook ingress).
/// </summary>
public sealed class NewestPlans(NpgsqlDataSource dataSource, GraphVersionCache versions, PlanCache plans)
{
    /// <summary>
    /// $1 owner, $2 graph. Hand-written rather than through EF Core: every delivery asks it, and one prepared statement
    /// costs the ingress less than a LINQ query's translation-cache lookup, parameter extraction and materialisation.
    /// </summary>
    private const string NewestVersionSql = "SELECT version FROM graphs WHERE owner_id = $1 AND id = $2 AND deleted_at IS NULL";

    public async Task<NewestPlan> GetAsync(Guid ownerId, Guid graphId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(NewestVersionSql);
        command.Parameters.Add(new NpgsqlParameter { Value = ownerId });
        command.Parameters.Add(new NpgsqlParameter { Value = graphId });
        if (await command.ExecuteScalarAsync(cancellationToken) is not int newest)
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
