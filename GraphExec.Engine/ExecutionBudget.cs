using System.Globalization;

namespace GraphExec.Engine;

/// <summary>
/// What one execution may do in all, its child graphs (subgraph calls, foreach items, to any depth) included: node runs
/// (every attempt counts) and child runs. A graph whose foreach runs the graph itself multiplies its work at every level;
/// the depth limit alone would let it run 10,000⁸ times. Once either count is spent every node of the tree fails as it
/// starts, so the whole tree ends at once, and the execution fails with <see cref="ExecutionError.BudgetExceeded"/> naming
/// the budget and the node that went over it first.
/// </summary>
internal sealed class ExecutionBudget(ExecutionOptions options)
{
    private long _nodeRuns;
    private long _childRuns;
    private ExecutionError? _exceeded;

    /// <summary>The first node that went over, once one has.</summary>
    public ExecutionError? Exceeded => Volatile.Read(ref _exceeded);

    /// <summary>Counts one attempt of <paramref name="nodeId"/>; the error to fail it with when the budget is spent.</summary>
    public ExecutionError? TakeNodeRun(string nodeId) =>
        Interlocked.Increment(ref _nodeRuns) > options.MaxNodeRuns
            ? Exceed(nodeId, $"The execution went over its budget of {Count(options.MaxNodeRuns)} node runs (its subgraphs' and foreach items' included).")
            : Exceeded;

    /// <summary>Counts one child graph run started by <paramref name="nodeId"/>; the error to fail it with when the budget is spent.</summary>
    public ExecutionError? TakeChildRun(string nodeId) =>
        Interlocked.Increment(ref _childRuns) > options.MaxChildRuns
            ? Exceed(nodeId, $"The execution went over its budget of {Count(options.MaxChildRuns)} child graph runs (subgraph calls and foreach items, at any depth).")
            : Exceeded;

    private ExecutionError Exceed(string nodeId, string message)
    {
        Interlocked.CompareExchange(ref _exceeded, new ExecutionError(ExecutionError.BudgetExceeded, message, nodeId), null);
        return _exceeded!;
    }

    private static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>A node or child run refused because the execution's <see cref="ExecutionBudget"/> is spent.</summary>
internal sealed class BudgetExceededException(ExecutionError error) : Exception(error.Message)
{
    public ExecutionError Error { get; } = error;
}
