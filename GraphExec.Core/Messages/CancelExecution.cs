namespace GraphExec.Core.Messages;

/// <summary>Stop an execution, on whichever worker runs it (every worker receives this).</summary>
public sealed record CancelExecution
{
    public required Guid OwnerId { get; init; }

    public required Guid ExecutionId { get; init; }
}
