using System.ComponentModel.DataAnnotations;

namespace GraphExec.Api.Infrastructure;

public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Request bodies above this answer 413; graphs are the largest thing the Api takes.</summary>
    [Range(1024, 64L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Request bodies of a manual run above this answer 413: its inputs may each be as large as a stored value
    /// (<c>Blobs:MaxValueBytes</c>, 64 MiB), with room for the rest of the body.
    /// </summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxRunBodyBytes { get; set; } = 65L * 1024 * 1024;
}
