namespace GraphExec.Load;

/// <summary>An execution as the Api lists it; <see cref="FirstNodeStartedAt"/> only for the executions read in detail.</summary>
public sealed record ExecutionRecord(
    Guid Id, string Status, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public DateTimeOffset? FirstNodeStartedAt { get; set; }

    public bool IsTerminal => Status is "Succeeded" or "Failed" or "Cancelled" or "TimedOut";
}
