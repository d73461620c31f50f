namespace GraphExec.Core.Messages;

/// <summary>
/// An execution ended and someone is to be told: its graph names an error handler or notification endpoints for its
/// status. Published only for those (the row's <c>notify</c> flag, set by the statement that ended it, is the outbox);
/// the row holds everything else, so a duplicate or late message finds the flag cleared and does nothing.
/// </summary>
public sealed record ExecutionCompleted
{
    public required Guid OwnerId { get; init; }

    public required Guid ExecutionId { get; init; }
}
