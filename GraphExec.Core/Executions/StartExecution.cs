using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Core.Quotas;
using GraphExec.Core.Values;

namespace GraphExec.Core.Executions;

/// <summary>What a trigger asks for: run this graph version with these inputs.</summary>
/// <param name="TriggerRef">
/// Identifies the trigger event (webhook and delivery id, schedule and fire time); the same event again finds the
/// execution it started instead of starting another. Null for manual runs.
/// </param>
/// <param name="RetryOf">
/// The owner's finished execution this one retries from its failed node: its completed nodes, and the blobs of their
/// values, are copied into this one (see <see cref="ExecutionRetrier"/>).
/// </param>
public sealed record StartExecution(
    Guid OwnerId,
    Guid GraphId,
    int GraphVersion,
    TriggerKind Trigger,
    string? TriggerRef,
    JsonObject Inputs,
    bool Live,
    Guid? RetryOf = null);

/// <summary>
/// The execution a trigger started, or found already started for the same event; or the quota that refused it, or the
/// input too large to store.
/// </summary>
public sealed record StartedExecution(Guid ExecutionId, bool Created, QuotaExceeded? OverQuota = null, ValueTooLargeToStoreException? TooLarge = null)
{
    public static StartedExecution Refused(QuotaExceeded overQuota) => new(Guid.Empty, Created: false, overQuota);

    public static StartedExecution Refused(ValueTooLargeToStoreException tooLarge) => new(Guid.Empty, Created: false, TooLarge: tooLarge);
}

/// <summary>An execution to insert as Queued, and its owner's quota of queued executions.</summary>
public sealed record QueuedStart(Execution Execution, int QueuedQuota);

/// <summary>What inserting a queued execution did.</summary>
public enum Insertion
{
    Inserted,

    /// <summary>Its trigger ref already has an execution: the same event again.</summary>
    Duplicate,

    /// <summary>Its owner has as many executions queued as the quota allows: nothing was stored.</summary>
    OverQuota,
}
