using GraphExec.Core.Data;

namespace GraphExec.Core.Graphs;

public static class GraphQueries
{
    /// <summary>
    /// The owner's graph with this id unless it was deleted: deleted graphs keep their row for the executions that pin
    /// their versions, so every lookup of a graph by a user must leave them out.
    /// </summary>
    public static IQueryable<Graph> Existing(this IQueryable<Graph> graphs, Guid ownerId, Guid graphId) =>
        graphs.Where(g => g.OwnerId == ownerId && g.Id == graphId && g.DeletedAt == null);
}
