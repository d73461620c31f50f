using System.Globalization;

namespace GraphExec.Engine;

/// <summary>
/// What one execution may do in all, its child graphs (subgraph calls, foreach items, to any depth) included: node runs
/// (every attempt counts), child runs, bytes of values produced, and child runs at once. A graph whose foreach runs the
/// graph itself multiplies its work at every level; the depth limit alone would let it run 10,000⁸ times, and the value
/// limit alone would let it hold a mebibyte in each of them. Once any of these is spent every node of the tree fails as
/// it starts, so the whole tree ends at once, and the execution fails with <see cref="ExecutionError.BudgetExceeded"/>
/// naming the budget and the node that went over it first.
/// </summary>
/// <remarks>The limits are the engine's <see cref="ExecutionOptions"/>, where the request's <see cref="ExecutionLimits"/> has none.</remarks>
internal sealed class ExecutionBudget(ExecutionOptions options, ExecutionLimits? limits)
{
    private readonly long _maxNodeRuns = limits?.MaxNodeRuns ?? options.MaxNodeRuns;
    private readonly long _maxChildRuns = limits?.MaxChildRuns ?? options.MaxChildRuns;
    private readonly long _maxBytesProduced = limits?.MaxBytesProduced ?? options.MaxBytesProduced;
    private readonly long _maxChildRunsInFlight = limits?.MaxChildRunsInFlight ?? options.MaxChildRunsInFlight;

    private long _nodeRuns;
    private long _childRuns;
    private long _bytesProduced;
    private long _childRunsInFlight;
    private long _nodeSpans;
    private ExecutionError? _exceeded;

    /// <summary>The first node that went over, once one has.</summary>
    public ExecutionError? Exceeded => Volatile.Read(ref _exceeded);

    /// <summary>Counts one attempt of <paramref name="nodeId"/>; the error to fail it with when the budget is spent.</summary>
    public ExecutionError? TakeNodeRun(string nodeId) =>
        Check(Interlocked.Increment(ref _nodeRuns), _maxNodeRuns, nodeId, "node runs (its subgraphs' and foreach items' included)");

    /// <summary>Counts <paramref name="bytes"/> of values <paramref name="nodeId"/> fired; the error to fail it with when the budget is spent.</summary>
    public ExecutionError? TakeBytes(string nodeId, long bytes) =>
        Check(Interlocked.Add(ref _bytesProduced, bytes), _maxBytesProduced, nodeId,
            "bytes of values produced (its subgraphs' and foreach items' included)");

    /// <summary>
    /// Counts one child graph run started by <paramref name="nodeId"/>, and holds its place among the runs going on at once
    /// until <see cref="EndChildRun"/>; the error to fail the node with when the budget is spent. The caller ends the run
    /// whatever happens, even when this refuses it: both counts are taken first, so that ending always gives back a place
    /// that was taken.
    /// </summary>
    public ExecutionError? TakeChildRun(string nodeId)
    {
        var started = Interlocked.Increment(ref _childRuns);
        var running = Interlocked.Increment(ref _childRunsInFlight);
        return Check(started, _maxChildRuns, nodeId, "child graph runs (subgraph calls and foreach items, at any depth)")
            ?? Check(running, _maxChildRunsInFlight, nodeId, "child graph runs at once (subgraph calls and foreach items running together, at any depth)");
    }

    /// <summary>
    /// Counts one node span: true while the tree is within <see cref="ExecutionOptions.MaxNodeSpans"/>; <paramref name="first"/>
    /// is true for the one count that went over, to say so once.
    /// </summary>
    public bool TakeNodeSpan(out bool first)
    {
        var count = Interlocked.Increment(ref _nodeSpans);
        first = count == options.MaxNodeSpans + 1L;
        return count <= options.MaxNodeSpans;
    }

    /// <summary>Gives back the place a run counted by <see cref="TakeChildRun"/> held among those going on at once.</summary>
    public void EndChildRun() => Interlocked.Decrement(ref _childRunsInFlight);

    /// <summary>
    /// The error to fail <paramref name="nodeId"/> with: its own when <paramref name="count"/> went over <paramref name="limit"/>,
    /// the first node's when the tree is over already, none otherwise. Going over the runs at once ends the tree as well,
    /// though places come free again: it is the graph's shape that is at fault, and it would only go over again.
    /// </summary>
    private ExecutionError? Check(long count, long limit, string nodeId, string what)
    {
        if (count <= limit)
        {
            return Exceeded;
        }

        var message = $"The execution went over its budget of {limit.ToString("N0", CultureInfo.InvariantCulture)} {what}.";
        Interlocked.CompareExchange(ref _exceeded, new ExecutionError(ExecutionError.BudgetExceeded, message, nodeId), null);
        return Exceeded!;
    }
}

/// <summary>A node or child run refused because the execution's <see cref="ExecutionBudget"/> is spent.</summary>
internal sealed class BudgetExceededException(ExecutionError error) : Exception(error.Message)
{
    public ExecutionError Error { get; } = error;
}
