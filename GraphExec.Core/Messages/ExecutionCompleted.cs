using GraphExec.Core.Data;
using GraphExec.Engine;

namespace GraphExec.Core.Messages;

/// <summary>An execution reached a final status (Succeeded, Failed, Cancelled or TimedOut).</summary>
public sealed record ExecutionCompleted
{
    public required Guid OwnerId { get; init; }

    public required Guid ExecutionId { get; init; }

    public required Guid GraphId { get; init; }

    public required TriggerKind Trigger { get; init; }

    public required ExecutionStatus Status { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }
}
