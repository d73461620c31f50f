using System.ComponentModel.DataAnnotations;

namespace GraphExec.Core.Values;

/// <summary>
/// The <c>Blobs</c> section: which container of the <c>blobs</c> storage account keeps execution values above the inline
/// threshold, and the limits on them. One section for the storage registration and the value store alike.
/// </summary>
public sealed class BlobOptions
{
    public const string Section = "Blobs";

    public const string DefaultContainer = "values";

    /// <summary>
    /// The first 256 bytes of a large value's JSON, stored and shown in place of the value: enough to recognise it, and
    /// small enough that the reference stays a few hundred bytes in its row and in live events.
    /// </summary>
    public const int PreviewBytes = 256;

    /// <summary>
    /// The blob container of this deployment: 3-63 lower-case letters, digits and single hyphens, as Azure Storage names a
    /// container; tests give each run its own. The connection string is <c>ConnectionStrings:blobs</c>.
    /// </summary>
    [Required]
    [RegularExpression("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$", ErrorMessage = "Blobs:Container must be 3-63 lower-case letters, digits and single hyphens.")]
    public string Container { get; set; } = DefaultContainer;

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
