using System.ComponentModel.DataAnnotations;

namespace GraphExec.Core.Values;

/// <summary>Where execution values above the inline threshold are kept, and the limits on them (configuration section <c>Blobs</c>).</summary>
public sealed class BlobOptions
{
    public const string Section = "Blobs";

    /// <summary>The 1 KiB of a large value's JSON that is stored and shown in place of the value.</summary>
    public const int PreviewBytes = 1024;

    /// <summary>The blob container of this deployment (one per test run); the connection string is <c>ConnectionStrings:blobs</c>.</summary>
    [Required]
    [RegularExpression("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")]
    public string Container { get; set; } = "";

    /// <summary>
    /// A value whose JSON is longer than this is kept in blob storage and referenced from PostgreSQL: <c>jsonb</c> rows
    /// stay small enough to be read, written and replicated in bulk, while a value of a few KiB costs no extra round trip.
    /// </summary>
    [Range(1024, 16L * 1024 * 1024)]
    public long InlineThresholdBytes { get; set; } = 64 * 1024;

    /// <summary>The largest value (its JSON, in bytes) an execution may store: a graph input, or what a node fires.</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxValueBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// How old a blob must be before the orphan collector looks at it: a blob is written before the row that references
    /// it commits, so a younger one may belong to a write still under way.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan OrphanGracePeriod { get; set; } = TimeSpan.FromHours(1);
}
