using System.ComponentModel.DataAnnotations;

namespace GraphExec.Api.Infrastructure;

/// <summary>Per-user request budget (a token bucket), and a stricter per-address one for sign-up and sign-in.</summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    [Range(1, 100_000)]
    public int PermitsPerSecond { get; set; } = 50;

    [Range(1, 100_000)]
    public int Burst { get; set; } = 200;

    [Range(1, 10_000)]
    public int AuthPermitsPerMinute { get; set; } = 30;
}
