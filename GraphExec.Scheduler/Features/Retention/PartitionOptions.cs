using System.ComponentModel.DataAnnotations;

namespace GraphExec.Scheduler.Features.Retention;

/// <summary>How the time partitions of executions, node results and webhook deliveries are made.</summary>
public sealed class PartitionOptions
{
    public const string Section = "Partitions";

    /// <summary>When the partition job runs (6 fields: seconds first, UTC): hourly, so a missed run costs nothing.</summary>
    [Required]
    public string Cron { get; set; } = "0 5 * * * *";

    /// <summary>How much time one partition covers; partitions are named by their first day.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "31.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How far ahead of now partitions exist, so that rows never land in the DEFAULT partition.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "90.00:00:00")]
    public TimeSpan Ahead { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a partition change waits for its locks before it gives up and tries again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times a partition change that timed out on a lock is tried, in all.</summary>
    [Range(1, 100)]
    public int Attempts { get; set; } = 5;
}
