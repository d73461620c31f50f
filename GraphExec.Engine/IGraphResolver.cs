namespace GraphExec.Engine;

/// <summary>
/// Finds the compiled plan of a saved graph version for the subgraph and foreach blocks. The Worker
/// implements it per execution, so that a graph can only reach graphs of the same owner, and may
/// cache plans: versions are immutable.
/// </summary>
public interface IGraphResolver
{
    /// <returns>The plan, or null when no such graph version exists (for this owner).</returns>
    ValueTask<ExecutionPlan?> ResolveAsync(GraphReference graph, CancellationToken cancellationToken);
}
