using System.ComponentModel.DataAnnotations;

namespace GraphExec.Api.Infrastructure;

public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Request bodies above this answer 413; graphs are the largest thing the Api takes.</summary>
    [Range(1024, 64L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;
}
