namespace GraphExec.Engine;

/// <summary>
/// One execution's own budget, where it differs from the engine's <see cref="ExecutionOptions"/>: a host that gives some
/// users more (or less) than others sets it on the <see cref="ExecutionRequest"/> instead of running an engine per user.
/// A null limit is the engine's. Child graphs share their execution's budget, so these hold for the whole tree.
/// </summary>
public sealed record ExecutionLimits
{
    /// <summary>In place of <see cref="ExecutionOptions.MaxNodeRuns"/>.</summary>
    public long? MaxNodeRuns { get; init; }

    /// <summary>In place of <see cref="ExecutionOptions.MaxChildRuns"/>.</summary>
    public long? MaxChildRuns { get; init; }

    /// <summary>In place of <see cref="ExecutionOptions.MaxBytesProduced"/>.</summary>
    public long? MaxBytesProduced { get; init; }

    /// <summary>In place of <see cref="ExecutionOptions.MaxChildRunsInFlight"/>.</summary>
    public int? MaxChildRunsInFlight { get; init; }
}
