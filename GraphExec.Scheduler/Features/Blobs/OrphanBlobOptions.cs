using System.ComponentModel.DataAnnotations;

namespace GraphExec.Scheduler.Features.Blobs;

/// <summary>How often blobs that no row references are looked for (configuration section <c>OrphanBlobs</c>).</summary>
public sealed class OrphanBlobOptions
{
    public const string Section = "OrphanBlobs";

    /// <summary>A Hangfire recurring job on this cron (6 fields: seconds first), in UTC.</summary>
    [Required]
    public string Cron { get; set; } = "0 */15 * * * *";

    /// <summary>How many executions' rows one query looks up.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1_000;
}
