using System.Diagnostics.Metrics;
using GraphExec.ServiceDefaults;

namespace GraphExec.Live.Features.Executions;

/// <summary>The Live service's instruments on the GraphExec meter.</summary>
public sealed class LiveMetrics
{
    private readonly UpDownCounter<long> _connections;
    private readonly UpDownCounter<long> _subscriptions;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _closedSlow;
    private readonly Histogram<double> _latency;
    private readonly TimeProvider _time;

    public LiveMetrics(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(Telemetry.GraphExec);
        _connections = meter.CreateUpDownCounter<long>("graphexec.live.connections", "{connection}", "Hub connections open on this instance.");
        _subscriptions = meter.CreateUpDownCounter<long>("graphexec.live.subscriptions", "{subscription}", "Execution subscriptions on this instance.");
        _closedSlow = meter.CreateCounter<long>(
            "graphexec.live.connections.closed_slow", "{connection}", "Connections closed because they read nothing while events waited.");
        _delivered = meter.CreateCounter<long>("graphexec.live.events.delivered", "{event}", "Events sent to subscribers, replayed or live.");
        _latency = meter.CreateHistogram(
            "graphexec.live.delivery.latency", "s", "From an event's timestamp to its sending to a subscriber (live events only, not replays).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

    public void Connected() => _connections.Add(1);

    public void Disconnected() => _connections.Add(-1);

    public void ClosedSlowClient() => _closedSlow.Add(1);

    public void Subscribed() => _subscriptions.Add(1);

    public void Unsubscribed() => _subscriptions.Add(-1);

    public void Delivered(LiveEvent executionEvent, bool replayed)
    {
        _delivered.Add(1);
        if (!replayed)
        {
            _latency.Record((_time.GetUtcNow() - executionEvent.Timestamp).TotalSeconds);
        }
    }
}
