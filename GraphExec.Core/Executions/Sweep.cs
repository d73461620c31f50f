using GraphExec.Engine;

namespace GraphExec.Core.Executions;

/// <summary>An execution the sweeper found stalled: left Queued, or Running with its worker's lease expired.</summary>
/// <param name="Attempt">How many times a worker claimed it.</param>
/// <param name="Sweeps">How many times the sweeper already published it again.</param>
public sealed record StalledExecution(Guid OwnerId, Guid Id, ExecutionStatus Status, int Attempt, int Sweeps);

/// <summary>
/// What one sweep did: the executions to publish again, the ones it failed with their error, and the parked executions
/// woken by the slots that failing Running ones gave back (to publish as well).
/// </summary>
public sealed record SweepResult(
    IReadOnlyList<StalledExecution> Republish,
    IReadOnlyList<(StalledExecution Execution, ExecutionError Error)> Failed,
    IReadOnlyList<(Guid OwnerId, Guid ExecutionId)> Woken);
