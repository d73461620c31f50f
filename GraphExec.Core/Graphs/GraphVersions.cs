using GraphExec.Core.Data;
using GraphExec.Engine;
using GraphExec.Engine.Graphs;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Core.Graphs;

/// <summary>Which of a graph's versions are kept: the statements that pin and remove them, in the caller's transaction.</summary>
public static class GraphVersions
{
    /// <summary>
    /// Pins every version that <paramref name="definition"/> runs (its subgraph and foreach nodes), so that keeping a
    /// limited number of versions of those graphs never removes one a saved graph needs. A pin stays when the calling
    /// graph changes: finding whether any other version still names it would cost a scan of every graph.
    /// </summary>
    public static async Task PinCallsAsync(this GraphExecDbContext db, Guid ownerId, GraphDefinition definition, CancellationToken cancellationToken)
    {
        var calls = GraphCalls.Of(definition);
        if (calls.Count == 0)
        {
            return;
        }

        var graphs = calls.Select(call => call.GraphId).ToArray();
        var versions = calls.Select(call => call.Version).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            UPDATE graph_versions v SET pinned = true
            FROM unnest({graphs}::uuid[], {versions}::int[]) AS c(graph_id, version)
            WHERE v.owner_id = {ownerId} AND v.graph_id = c.graph_id AND v.version = c.version AND NOT v.pinned
            """, cancellationToken);
    }

    /// <summary>
    /// Removes the graph's versions up to <paramref name="throughVersion"/>, except those pinned and those an unfinished
    /// execution runs (a Worker is about to read it). Unfinished is <see cref="ExecutionSql.Unfinished"/>, written out: the
    /// holes of this string are parameters.
    /// </summary>
    /// <returns>The bytes removed, to give back to the owner's stored bytes.</returns>
    public static async Task<long> RemoveVersionsAsync(
        this GraphExecDbContext db, Guid ownerId, Guid graphId, int throughVersion, CancellationToken cancellationToken)
    {
        if (throughVersion < 1)
        {
            return 0;
        }

        var removed = await db.Database.SqlQuery<long>($"""
            WITH removed AS (
                DELETE FROM graph_versions v
                WHERE v.owner_id = {ownerId} AND v.graph_id = {graphId} AND v.version <= {throughVersion} AND NOT v.pinned
                  AND NOT EXISTS (
                      SELECT FROM executions e
                      WHERE e.owner_id = v.owner_id AND e.finished_status IS NULL
                        AND e.graph_id = v.graph_id AND e.graph_version = v.version)
                RETURNING v.size_bytes)
            SELECT coalesce(sum(size_bytes), 0)::bigint AS "Value" FROM removed
            """).ToListAsync(cancellationToken);
        return removed.Single();
    }
}
