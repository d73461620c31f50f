namespace GraphExec.Core.Data;

/// <summary>
/// The trigger event (a webhook delivery, a schedule's fire time) that started an execution. <c>executions</c> is
/// partitioned by its id, so a unique index there could only be unique per day; this small table keeps "one trigger
/// event starts at most one execution" for the dedupe window, after which the retention job trims it
/// (docs/scaling.md). It is written in the same statement as the execution.
/// </summary>
public sealed class ExecutionTrigger
{
    public Guid OwnerId { get; set; }

    public TriggerKind Trigger { get; set; }

    /// <summary>What identifies the event: the webhook and its delivery id, or the schedule and its fire time.</summary>
    public required string TriggerRef { get; set; }

    public Guid ExecutionId { get; set; }

    /// <summary>When the execution was queued: the trim deletes rows older than the dedupe window by it.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
