using System.Diagnostics;
using System.Threading.RateLimiting;
using OpenTelemetry.Trace;

namespace GraphExec.ServiceDefaults;

/// <summary>
/// Decides whether a new trace is exported: a share of traces (the ratio, by trace id, so every service that sees a trace
/// agrees), and at most so many a second in this process. Under load the ratio alone exported hundreds of traces a second
/// that no one reads, and the dashboard spent more CPU storing them than the executions cost; the cap keeps what a person
/// can look at and lets a quiet machine export every trace the ratio picks.
/// </summary>
public sealed class TraceBudget : IDisposable
{
    private readonly TraceIdRatioBasedSampler _ratio;
    private readonly TokenBucketRateLimiter? _perSecond;

    /// <param name="ratio">The share of traces sampled, 0 to 1.</param>
    /// <param name="perSecond">The most traces sampled in a second; 0 or less for no limit.</param>
    public TraceBudget(double ratio, int perSecond)
    {
        _ratio = new TraceIdRatioBasedSampler(ratio);
        _perSecond = perSecond <= 0 ? null : new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSecond,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>True when the trace is sampled; takes one from this second's budget when it is.</summary>
    public bool Samples(ActivityTraceId traceId, string name, ActivityKind kind) =>
        _ratio.ShouldSample(new SamplingParameters(default, traceId, name, kind)).Decision == SamplingDecision.RecordAndSample
        && (_perSecond is null || _perSecond.AttemptAcquire().IsAcquired);

    public void Dispose() => _perSecond?.Dispose();
}
