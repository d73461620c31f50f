using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace GraphExec.ServiceDefaults;

/// <summary>
/// Which traces are exported: a share of them, at most so many a second per process (<see cref="TraceBudget"/>), decided
/// once per trace where it starts and followed by every service it reaches (parent-based), plus the entry span of any other trace (a request, a consumed message) that fails or is slow.
/// Exporting every span of every execution cost more CPU in the dashboard than the executions themselves. Background work
/// starts no trace by itself: a poll (see <see cref="BackgroundTracing"/>) is exported only when it did work, failed or
/// was slow, and a database or cache call outside any request, message or poll (Hangfire polling its storage, a key ring
/// loaded) only when it failed or was slow; polling that finds nothing, ten times a second, shows nowhere.
/// </summary>
public static class TraceSampling
{
    /// <summary>The share of traces exported, 0 to 1 (OpenTelemetry's standard variable for a ratio sampler).</summary>
    public const string RatioKey = "OTEL_TRACES_SAMPLER_ARG";

    /// <summary>The most new traces a process samples in a second; 0 for no limit.</summary>
    public const string PerSecondKey = "Telemetry:TracesPerSecond";

    /// <summary>An entry span of a trace that is not sampled is exported anyway when it lasts at least this long.</summary>
    public const string SlowKey = "Telemetry:SlowSpan";

    public const double DefaultRatio = 0.1;

    public const int DefaultPerSecond = 10;

    public static readonly TimeSpan DefaultSlow = TimeSpan.FromMilliseconds(500);

    public static TracerProviderBuilder AddGraphExecSampling(this TracerProviderBuilder tracing, IConfiguration configuration)
    {
        var ratio = double.TryParse(configuration[RatioKey], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? Math.Clamp(value, 0, 1)
            : DefaultRatio;
        var perSecond = int.TryParse(configuration[PerSecondKey], NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit)
            ? limit
            : DefaultPerSecond;
        var slow = TimeSpan.TryParse(configuration[SlowKey], CultureInfo.InvariantCulture, out var threshold) ? threshold : DefaultSlow;
        var budget = new TraceBudget(ratio, perSecond);
        // Added before the exporter, so that it sees the spans this processor decides to keep.
        return tracing
            .ConfigureServices(services => services.AddSingleton(budget).AddSingleton<BackgroundTracing>())
            .SetSampler(new EntrySpanSampler(budget))
            .AddProcessor(new KeepFailedOrSlow(slow));
    }

    /// <summary>
    /// Samples new traces within the budget. A span in a trace that is not sampled is recorded but not exported when it is the
    /// trace's entry into this process (a root, or the child of a remote parent), so that <see cref="KeepFailedOrSlow"/>
    /// can still export it; its local children are dropped, costing next to nothing, except a message's send: its context
    /// travels with the message, so that the consumer continues the trace unsampled instead of starting one of its own
    /// (which its own budget would then sample, leaving a trace without its start). A root that is background work (a
    /// poll, or a bare database call) is never sampled here: <see cref="BackgroundTracing.Worked"/> or
    /// <see cref="KeepFailedOrSlow"/> may promote it once it is known to matter.
    /// </summary>
    internal sealed class EntrySpanSampler(TraceBudget budget) : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
        {
            var parent = samplingParameters.ParentContext;
            if (parent.TraceId == default)
            {
                return IsBackground(samplingParameters) ? new SamplingResult(SamplingDecision.RecordOnly)
                    : budget.Samples(samplingParameters.TraceId, samplingParameters.Name, samplingParameters.Kind)
                    ? new SamplingResult(SamplingDecision.RecordAndSample)
                    : new SamplingResult(SamplingDecision.RecordOnly);
            }

            return parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? new SamplingResult(SamplingDecision.RecordAndSample)
                : parent.IsRemote || samplingParameters.Kind == ActivityKind.Producer ? new SamplingResult(SamplingDecision.RecordOnly)
                : new SamplingResult(SamplingDecision.Drop);
        }

        /// <summary>
        /// A poll, or a client call other than an outgoing HTTP request with no parent: a call to PostgreSQL or Redis made
        /// outside any request, message or poll is a library's own background work. An HTTP call with no parent stays a
        /// trace's start: the Web calls the Api from a Blazor circuit's event, outside any request. The sampler does not
        /// see the activity source, so the HTTP client's activity is told by its name, which .NET gives it at creation.
        /// </summary>
        private static bool IsBackground(in SamplingParameters span) => span.Kind switch
        {
            ActivityKind.Client => !string.Equals(span.Name, HttpClientActivity, StringComparison.Ordinal),
            ActivityKind.Internal => BackgroundTracing.IsPoll(span.Tags),
            _ => false,
        };
    }

    /// <summary>The name of <see cref="HttpClient"/>'s activity when it is created (the instrumentation renames it later).</summary>
    internal const string HttpClientActivity = "System.Net.Http.HttpRequestOut";

    /// <summary>How a library marks a failed span without setting its status (Npgsql does so).</summary>
    private const string StatusCodeTag = "otel.status_code";

    /// <summary>Marks a recorded span that failed or was slow as sampled, so that the exporter after it sends it.</summary>
    internal sealed class KeepFailedOrSlow(TimeSpan slow) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (!data.Recorded
                && (data.Status == ActivityStatusCode.Error || data.Duration >= slow || data.GetTagItem(StatusCodeTag) is "ERROR"))
            {
                data.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
            }
        }
    }
}
