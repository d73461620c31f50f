using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace GraphExec.Worker.Tests.Support;

/// <summary>Counts, from the Worker's own metric, how its ExecuteGraph messages were handled since this was created.</summary>
public sealed class ClaimCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counts = new();

    public ClaimCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "GraphExec" && instrument.Name == "graphexec.execution.claims")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    _counts.AddOrUpdate((string)tag.Value!, value, (_, count) => count + value);
                }
            }
        });
        _listener.Start();
    }

    public long this[string outcome] => _counts.GetValueOrDefault(outcome);

    public long Total => _counts.Values.Sum();

    public void Dispose() => _listener.Dispose();
}
