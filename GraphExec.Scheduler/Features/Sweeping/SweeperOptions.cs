using System.ComponentModel.DataAnnotations;

namespace GraphExec.Scheduler.Features.Sweeping;

public sealed class SweeperOptions
{
    public const string Section = "Sweeper";

    /// <summary>When the sweeper runs: a Hangfire recurring job on this cron (6 fields: seconds first), in UTC.</summary>
    [Required]
    public string Cron { get; set; } = "*/15 * * * * *";

    /// <summary>
    /// How long an execution may stay Queued (since it was queued or last published again) before its publish counts as
    /// lost, and how long after its lease expired a Running one may wait for RabbitMQ's own redelivery.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Threshold { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long after a run ended its notification (error handler, deliveries) may stay pending before its
    /// <c>ExecutionCompleted</c> counts as lost and is published again: longer than a delivery's retries take.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan NotificationThreshold { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// After this many publishes by the sweeper without a worker finishing it, the execution is marked Failed; a pending
    /// notification published again this often (its sweeps counted with the run's) is given up.
    /// </summary>
    [Range(1, 100)]
    public int MaxSweeps { get; set; } = 5;

    /// <summary>A Running execution whose worker stopped this many times (lease expired) is marked Failed rather than taken over again.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The most executions one sweep handles; the rest wait for the next sweep.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1_000;

    /// <summary>How often Hangfire looks for recurring jobs to start (its schedule polling interval).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
