namespace GraphExec.Core.Messages;

/// <summary>
/// Run a queued execution. The execution row holds everything else (graph, pinned version, inputs), so a duplicate or
/// late message is harmless: only the worker whose claim succeeds runs it.
/// </summary>
public sealed record ExecuteGraph
{
    public required Guid OwnerId { get; init; }

    public required Guid ExecutionId { get; init; }
}
