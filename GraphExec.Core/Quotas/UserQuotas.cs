using System.ComponentModel.DataAnnotations;

namespace GraphExec.Core.Quotas;

/// <summary>
/// What one user may keep and run. The defaults suit any honest use (a billion graphs over a million users is a thousand
/// each) and keep one account from filling the shared database, queue or Workers; <see cref="QuotaOptions"/> sets them for
/// everyone and per user. Each refusal is a problem document that names the quota (<see cref="QuotaNames"/>) and its value.
/// </summary>
public class UserQuotas
{
    /// <summary>Graphs kept (deleted ones do not count).</summary>
    [Range(0, int.MaxValue)]
    public int Graphs { get; set; } = 10_000;

    /// <summary>
    /// Versions kept per graph: saving one more removes the oldest beyond it, except a version that another graph's
    /// subgraph or foreach names or that an unfinished execution runs.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int VersionsPerGraph { get; set; } = 100;

    /// <summary>Webhooks kept.</summary>
    [Range(0, int.MaxValue)]
    public int Webhooks { get; set; } = 1_000;

    /// <summary>Notification endpoints (URLs told of a graph's failed runs) kept per graph.</summary>
    [Range(0, int.MaxValue)]
    public int NotificationsPerGraph { get; set; } = 10;

    /// <summary>Schedules kept.</summary>
    [Range(0, int.MaxValue)]
    public int Schedules { get; set; } = 1_000;

    /// <summary>Credentials (named secrets) kept.</summary>
    [Range(0, int.MaxValue)]
    public int Credentials { get; set; } = 1_000;

    /// <summary>Personal access tokens kept that are neither revoked nor expired.</summary>
    [Range(0, int.MaxValue)]
    public int AccessTokens { get; set; } = 100;

    /// <summary>The shortest time a schedule may leave between two fire times.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ScheduleMinimumInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Executions waiting for a Worker (Queued) at once; a trigger beyond it is refused with 429, never stored.</summary>
    [Range(1, int.MaxValue)]
    public int QueuedExecutions { get; set; } = 10_000;

    /// <summary>Bytes of graph documents kept, every kept version counted.</summary>
    [Range(0, long.MaxValue)]
    public long StoredBytes { get; set; } = 1L << 30;

    /// <summary>Executions running at once across all Workers; the rest wait parked.</summary>
    [Range(1, 100_000)]
    public int RunningExecutions { get; set; } = 25;

    /// <summary>Node runs (every attempt) one execution may make, its subgraphs' and foreach items' included.</summary>
    [Range(1, 100_000_000)]
    public long NodeRunsPerExecution { get; set; } = 100_000;

    /// <summary>Child graph runs (subgraph calls and foreach items, at any depth) one execution may start.</summary>
    [Range(1, 10_000_000)]
    public long ChildRunsPerExecution { get; set; } = 10_000;

    /// <summary>Child graph runs of one execution running at the same moment.</summary>
    [Range(1, 1_000_000)]
    public int ChildRunsInFlight { get; set; } = 1_024;

    /// <summary>Bytes of values the nodes of one execution may produce in all, its child runs' included.</summary>
    [Range(1, long.MaxValue)]
    public long BytesPerExecution { get; set; } = 512L << 20;

    /// <summary>A copy to bind one user's settings onto, so that what the user's section leaves out keeps these values.</summary>
    public UserQuotas Copy() => (UserQuotas)MemberwiseClone();
}
