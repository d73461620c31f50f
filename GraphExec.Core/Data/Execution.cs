using GraphExec.Engine;

namespace GraphExec.Core.Data;

/// <summary>
/// One run of a pinned graph version. The row is written as Queued before <c>ExecuteGraph</c> is published, so it is
/// also the outbox: a sweeper republishes rows left Queued, or Running with an expired lease.
/// </summary>
public sealed class Execution
{
    public Guid OwnerId { get; set; }

    public Guid Id { get; set; }

    public Guid GraphId { get; set; }

    public int GraphVersion { get; set; }

    public TriggerKind Trigger { get; set; }

    /// <summary>
    /// What identifies the trigger event when set: the webhook and its delivery id, or the schedule and its fire time.
    /// <see cref="ExecutionTrigger"/> keeps it unique per owner and trigger kind, so a repeated event finds the execution
    /// it already started.
    /// </summary>
    public string? TriggerRef { get; set; }

    public ExecutionStatus Status { get; set; }

    /// <summary>
    /// The status once the execution has ended; null while it is Queued or Running. Computed and stored by PostgreSQL from
    /// <see cref="Status"/> (<see cref="ExecutionSql.FinishedStatus"/>), it is what the indexes hold instead of the status:
    /// a claim (Queued to Running) then changes no index key, so PostgreSQL writes it as a heap-only (HOT) update, one
    /// tuple beside the old one in the same page instead of a new entry in every index.
    /// </summary>
    public ExecutionStatus? FinishedStatus { get; private set; }

    /// <summary>Whether every event streams to the live view, not only the final one.</summary>
    public bool Live { get; set; }

    /// <summary>Graph inputs by input name, as a <c>jsonb</c> object.</summary>
    public required string Inputs { get; set; }

    /// <summary>Graph outputs by output name, as a <c>jsonb</c> object, once finished.</summary>
    public string? Outputs { get; set; }

    /// <summary>Why the execution did not succeed, as a <c>jsonb</c> object.</summary>
    public string? Error { get; set; }

    /// <summary>How many times a worker has claimed this execution; above 1 it was taken over.</summary>
    public int Attempt { get; set; }

    /// <summary>The worker instance that holds the lease while the execution runs.</summary>
    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>
    /// Set while the execution waits because its owner already runs as many executions as allowed; the worker that
    /// finishes one of the owner's executions wakes the oldest parked one. Cleared when a worker claims it.
    /// </summary>
    public DateTimeOffset? ParkedAt { get; set; }

    /// <summary>The last event sequence number stored, so that a resumed run goes on without a gap.</summary>
    public long LastSequence { get; set; }

    /// <summary>How many times the sweeper published it again (its publish was lost, or its worker stopped).</summary>
    public int Sweeps { get; set; }

    /// <summary>When the sweeper last published it again; the next sweep waits the threshold from here.</summary>
    public DateTimeOffset? SweptAt { get; set; }

    /// <summary>
    /// Whether a value of the execution (its inputs or outputs, or a node's) is kept in object storage: retention and the
    /// orphan collector find the executions whose blobs to delete through a partial index on it, without a scan.
    /// </summary>
    public bool HasBlobs { get; set; }

    /// <summary>
    /// The execution this one retries from its failed node, when it is a retry: the nodes that had completed there are
    /// copied into this one (see <see cref="NodeExecution.ReusedFrom"/>) and not run again.
    /// </summary>
    public Guid? RetryOf { get; set; }

    /// <summary>
    /// Set by the statement that ends the run when someone is to be told (the graph has an error handler or a notification
    /// endpoint for this status), cleared once they were; the outbox of <c>ExecutionCompleted</c>, which the sweeper
    /// publishes again when it stays set.
    /// </summary>
    public bool Notify { get; set; }

    /// <summary>Kept by retention however old it is, until unpinned.</summary>
    public bool Pinned { get; set; }

    public DateTimeOffset QueuedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}
