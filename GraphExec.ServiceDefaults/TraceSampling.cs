using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace GraphExec.ServiceDefaults;

/// <summary>
/// Which traces are exported: a share of them, decided once per trace where it starts and followed by every service it
/// reaches (parent-based), plus the entry span of any other trace (a request, a consumed message) that fails or is slow.
/// Exporting every span of every execution cost more CPU in the dashboard than the executions themselves.
/// </summary>
public static class TraceSampling
{
    /// <summary>The share of traces exported, 0 to 1 (OpenTelemetry's standard variable for a ratio sampler).</summary>
    public const string RatioKey = "OTEL_TRACES_SAMPLER_ARG";

    /// <summary>An entry span of a trace that is not sampled is exported anyway when it lasts at least this long.</summary>
    public const string SlowKey = "Telemetry:SlowSpan";

    public const double DefaultRatio = 0.1;

    public static readonly TimeSpan DefaultSlow = TimeSpan.FromMilliseconds(500);

    public static TracerProviderBuilder AddGraphExecSampling(this TracerProviderBuilder tracing, IConfiguration configuration)
    {
        var ratio = double.TryParse(configuration[RatioKey], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? Math.Clamp(value, 0, 1)
            : DefaultRatio;
        var slow = TimeSpan.TryParse(configuration[SlowKey], CultureInfo.InvariantCulture, out var threshold) ? threshold : DefaultSlow;
        // Added before the exporter, so that it sees the spans this processor decides to keep.
        return tracing.SetSampler(new EntrySpanSampler(ratio)).AddProcessor(new KeepFailedOrSlow(slow));
    }

    /// <summary>
    /// Samples a share of new traces. A span in a trace that is not sampled is recorded but not exported when it is the
    /// trace's entry into this process (a root, or the child of a remote parent), so that <see cref="KeepFailedOrSlow"/>
    /// can still export it; its local children are dropped, costing next to nothing.
    /// </summary>
    internal sealed class EntrySpanSampler(double ratio) : Sampler
    {
        private readonly TraceIdRatioBasedSampler _ratio = new(ratio);

        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
        {
            var parent = samplingParameters.ParentContext;
            if (parent.TraceId == default)
            {
                return _ratio.ShouldSample(samplingParameters).Decision == SamplingDecision.RecordAndSample
                    ? new SamplingResult(SamplingDecision.RecordAndSample)
                    : new SamplingResult(SamplingDecision.RecordOnly);
            }

            return parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? new SamplingResult(SamplingDecision.RecordAndSample)
                : parent.IsRemote ? new SamplingResult(SamplingDecision.RecordOnly)
                : new SamplingResult(SamplingDecision.Drop);
        }
    }

    /// <summary>Marks a recorded span that failed or was slow as sampled, so that the exporter after it sends it.</summary>
    internal sealed class KeepFailedOrSlow(TimeSpan slow) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (!data.Recorded && (data.Status == ActivityStatusCode.Error || data.Duration >= slow))
            {
                data.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
            }
        }
    }
}
