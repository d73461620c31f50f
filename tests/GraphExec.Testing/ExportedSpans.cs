using System.Collections;
using System.Diagnostics;

namespace GraphExec.Testing;

/// <summary>
/// The spans a service exported, for OpenTelemetry's in-memory exporter (<c>AddInMemoryExporter(spans)</c>): it adds from
/// the exporting thread while a test reads, so every access takes a lock, and <see cref="Snapshot"/> copies.
/// </summary>
public sealed class ExportedSpans : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_lock)
        {
            return [.. _spans];
        }
    }

    /// <summary>Spans that start a trace in the exporting process: no parent at all (a remote parent is not a root).</summary>
    public IReadOnlyList<Activity> Roots() => [.. Snapshot().Where(span => span.ParentSpanId == default)];

    public void Add(Activity item)
    {
        lock (_lock)
        {
            _spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_lock)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_lock)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_lock)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
