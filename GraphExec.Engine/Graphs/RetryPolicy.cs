namespace GraphExec.Engine.Graphs;

/// <summary>
/// How often a failing node is tried again. The delay before attempt n+1 is
/// <c>delayMs * backoffMultiplier^(n-1)</c>, capped at <c>maxDelayMs</c>; with jitter it is drawn
/// uniformly from the upper half of that, so retries of many runs do not arrive in lockstep.
/// </summary>
public sealed record RetryPolicy
{
    public const int DefaultMaxAttempts = 3;
    public const int DefaultDelayMs = 1_000;
    public const double DefaultBackoffMultiplier = 2;
    public const int DefaultMaxDelayMs = 60_000;

    /// <summary>Attempts in total, the first one included.</summary>
    public int? MaxAttempts { get; init; }

    public int? DelayMs { get; init; }

    public double? BackoffMultiplier { get; init; }

    public int? MaxDelayMs { get; init; }

    public bool? Jitter { get; init; }
}
