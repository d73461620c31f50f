using GraphExec.Engine.Graphs;

namespace GraphExec.Engine;

/// <summary>A node's engine settings with defaults applied.</summary>
internal sealed record NodeSettings(
    int MaxAttempts,
    double DelayMs,
    double BackoffMultiplier,
    double MaxDelayMs,
    bool Jitter,
    TimeSpan? Timeout,
    OnError OnError)
{
    public static NodeSettings Default { get; } = From(new NodeDefinition { Id = "default", Block = "default" });

    public static NodeSettings From(NodeDefinition node) => new(
        node.Retry is null ? 1 : node.Retry.MaxAttempts ?? RetryPolicy.DefaultMaxAttempts,
        node.Retry?.DelayMs ?? RetryPolicy.DefaultDelayMs,
        node.Retry?.BackoffMultiplier ?? RetryPolicy.DefaultBackoffMultiplier,
        node.Retry?.MaxDelayMs ?? RetryPolicy.DefaultMaxDelayMs,
        node.Retry?.Jitter ?? true,
        node.TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        node.OnError ?? OnError.Fail);

    /// <summary>The wait before attempt <paramref name="failedAttempt"/> + 1; with jitter, drawn from its upper half.</summary>
    public TimeSpan Backoff(int failedAttempt, Func<double> jitter)
    {
        var delay = Math.Min(DelayMs * Math.Pow(BackoffMultiplier, failedAttempt - 1), MaxDelayMs);
        if (Jitter)
        {
            delay = (delay / 2) + (jitter() * delay / 2);
        }

        return TimeSpan.FromMilliseconds(delay);
    }
}
