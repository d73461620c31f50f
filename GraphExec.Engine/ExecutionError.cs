namespace GraphExec.Engine;

/// <summary>Why a node or an execution failed: a stable code, a message for the user, and the node at fault.</summary>
public sealed record ExecutionError(string Code, string Message, string? NodeId = null)
{
    public const string BlockFailed = "block_failed";
    public const string NodeTimedOut = "node_timed_out";
    public const string ValueTooLarge = "value_too_large";

    /// <summary>A node's config names a secret (<c>{{secrets.NAME}}</c>) its owner does not have.</summary>
    public const string SecretMissing = "secret_missing";

    /// <summary>A node produced text that cannot be stored (U+0000, or an unpaired surrogate); see <see cref="Json.StorableText"/>.</summary>
    public const string ValueNotStorable = "value_not_storable";

    /// <summary>
    /// The execution, its child graphs included, went over a budget of node runs, child runs, bytes of values produced or
    /// child runs at once; see <see cref="ExecutionOptions"/> and <see cref="ExecutionLimits"/>.
    /// </summary>
    public const string BudgetExceeded = "budget_exceeded";
    public const string TimedOut = "timed_out";
    public const string Cancelled = "cancelled";

    /// <summary>The pinned graph version is missing or no longer valid, so the execution could not start.</summary>
    public const string GraphUnavailable = "graph_unavailable";

    /// <summary>A worker could not run the execution (database or broker unavailable) even after retrying.</summary>
    public const string WorkerFailed = "worker_failed";

    /// <summary>No worker finished it after the sweeper published it again as often as allowed.</summary>
    public const string Stalled = "stalled";
}
