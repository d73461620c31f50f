using System.ComponentModel.DataAnnotations;
using GraphExec.Core.Data;

namespace GraphExec.Scheduler.Features.Retention;

/// <summary>How long execution data is kept (docs/scaling.md).</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>When the retention jobs run (6 fields: seconds first, UTC): hourly; each does nothing when nothing expired.</summary>
    [Required]
    public string Cron { get; set; } = "0 20 * * * *";

    /// <summary>
    /// The retention of users who chose none: partitions older than this are dropped (keeping what must outlive them).
    /// The same as the default of <c>users.retention_days</c>.
    /// </summary>
    [Range(User.MinRetentionDays, User.MaxRetentionDays)]
    public int DefaultDays { get; set; } = User.DefaultRetentionDays;

    /// <summary>How long webhook deliveries are kept.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan WebhookDeliveries { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a trigger ref stays in <c>execution_triggers</c>: the same webhook delivery or schedule fire time within
    /// this window finds the execution it started rather than starting another.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan TriggerDedupeWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How many rows a batched delete takes at once.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1_000;
}
