using GraphExec.Core.Executions;
using GraphExec.Core.Values;
using GraphExec.Engine;

namespace GraphExec.Worker.Features.Executions;

/// <summary>
/// The engine's observer for one run. It hands live runs' events to the live publisher (all but the final one, which the
/// runner publishes once it is stored) and keeps the nodes completed so far; a timer writes them in one batch every
/// <see cref="WorkerOptions.FlushInterval"/>, or sooner when <see cref="WorkerOptions.FlushBatchSize"/> nodes wait, so
/// that a worker taking over resumes from them. The engine's thread never waits on I/O, and a run that ends within the
/// interval (most do) costs no write, task or exception here: its final write has it all. A live event whose outputs may
/// be large waits until their blobs are written and then carries their references, so that a watcher never follows a
/// reference to a blob that is not there yet; the events after it wait their turn, in order.
/// </summary>
public sealed partial class ProgressWriter : IExecutionObserver, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Claim _claim;
    private readonly ExecutionStore _store;
    private readonly ExecutionValues _values;
    private readonly WorkerOptions _options;
    private readonly ILiveEventPublisher? _live;
    private readonly ILogger _logger;
    private readonly Dictionary<string, DateTimeOffset> _startedAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExecutionEvent> _completed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _restored;
    private readonly ITimer _timer;
    private Task _writing = Task.CompletedTask;
    private Task _publishing = Task.CompletedTask;
    private long _sequence;
    private bool _disposed;

    public ProgressWriter(
        Claim claim, ExecutionStore store, ExecutionValues values, WorkerOptions options, ILiveEventPublisher? live, TimeProvider time, ILogger logger,
        IEnumerable<NodeResult> restored)
    {
        // Their rows are stored already; the events that announce them to a retry's watchers change nothing there.
        _restored = restored.Select(node => node.NodeId).ToHashSet(StringComparer.Ordinal);
        _claim = claim;
        _store = store;
        _values = values;
        _options = options;
        _live = live;
        _logger = logger;
        _timer = time.CreateTimer(_ => StartWrite(), null, options.FlushInterval, options.FlushInterval);
    }

    public void OnEvent(ExecutionEvent executionEvent)
    {
        bool full;
        lock (_gate)
        {
            if (_live is not null && executionEvent.Type != ExecutionEventType.ExecutionCompleted)
            {
                Publish(_live, executionEvent);
            }

            Take(executionEvent);
            full = _completed.Count >= _options.FlushBatchSize;
        }

        if (full)
        {
            StartWrite();
        }
    }

    /// <summary>Stops writing; a write under way finishes, what is still kept is left to the final write.</summary>
    public async ValueTask DisposeAsync()
    {
        Task writing;
        Task publishing;
        lock (_gate)
        {
            _disposed = true;
            writing = _writing;
            publishing = _publishing;
        }

        await _timer.DisposeAsync();
        await writing;
        // The runner publishes the final event next: every earlier one is handed over first.
        await publishing;
    }

    /// <summary>
    /// Hands the event to the publisher at once when its outputs are small for sure and no earlier event waits (nearly
    /// always); otherwise after the earlier ones and the blobs of its outputs (under the gate).
    /// </summary>
    private void Publish(ILiveEventPublisher live, ExecutionEvent executionEvent)
    {
        if (_publishing.IsCompleted && (executionEvent.Outputs is null || _values.AreSmall(executionEvent.Outputs)))
        {
            live.Publish(_claim.OwnerId, executionEvent);
        }
        else
        {
            _publishing = PublishAfterAsync(live, _publishing, executionEvent);
        }
    }

    private async Task PublishAfterAsync(ILiveEventPublisher live, Task earlier, ExecutionEvent executionEvent)
    {
        // Off the engine's thread: hashing and writing a large value takes a while.
        await earlier.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        var outputs = executionEvent.Outputs!;
        try
        {
            await _values.StoreAsync(outputs, CancellationToken.None);
            executionEvent = executionEvent with { Outputs = _values.Referenced(outputs) };
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The event still tells the node's outcome; its outputs are read from the execution once they are stored.
            LogLiveOutputsNotStored(_logger, exception, _claim.ExecutionId, executionEvent.NodeId);
            executionEvent = executionEvent with { Outputs = null };
        }

        live.Publish(_claim.OwnerId, executionEvent);
    }

    /// <summary>Starts a write of the nodes completed so far, unless one is under way (the next tick takes the rest).</summary>
    private void StartWrite()
    {
        lock (_gate)
        {
            if (_disposed || _completed.Count == 0 || !_writing.IsCompleted)
            {
                return;
            }

            _writing = WriteAsync(Rows(), _sequence);
        }
    }

    private void Take(ExecutionEvent executionEvent)
    {
        _sequence = executionEvent.Sequence;
        switch (executionEvent.Type)
        {
            case ExecutionEventType.NodeStarted:
                _startedAt[executionEvent.NodeId!] = executionEvent.Timestamp;
                break;
            case ExecutionEventType.NodeCompleted or ExecutionEventType.NodeFailed or ExecutionEventType.NodeSkipped
                when !_restored.Contains(executionEvent.NodeId!):
                _completed[executionEvent.NodeId!] = executionEvent;
                break;
        }
    }

    /// <summary>Takes the completed nodes kept so far, with their start times (under the gate).</summary>
    private List<(ExecutionEvent Completed, DateTimeOffset? StartedAt)> Rows()
    {
        var rows = _completed.Values.Select(e => (e, _startedAt.TryGetValue(e.NodeId!, out var started) ? started : (DateTimeOffset?)null)).ToList();
        _completed.Clear();
        return rows;
    }

    private async Task WriteAsync(List<(ExecutionEvent Completed, DateTimeOffset? StartedAt)> nodes, long sequence)
    {
        await Task.Yield(); // off the engine's thread and the gate: serializing many outputs takes a while
        try
        {
            await _store.WriteProgressAsync(_claim, await RowsAsync(nodes), sequence, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Only resumption suffers: the final write stores these nodes again.
            LogProgressNotWritten(_logger, exception, _claim.ExecutionId, nodes.Count);
        }
    }

    /// <summary>The nodes' rows, their large outputs written to blob storage first (a blob before the row that references it).</summary>
    private async Task<List<NodeRow>> RowsAsync(List<(ExecutionEvent Completed, DateTimeOffset? StartedAt)> nodes)
    {
        var rows = new List<NodeRow>(nodes.Count);
        foreach (var (completed, startedAt) in nodes)
        {
            // A finished node's outputs never change, so reading them here, beside the running engine, is safe.
            var outputs = completed.Outputs is null ? null : await _values.StoreAsync(completed.Outputs, CancellationToken.None);
            rows.Add(new NodeRow(
                completed.NodeId!,
                Enum.Parse<NodeStatus>(completed.Status),
                Inputs: null,
                Outputs: outputs?.Json,
                Error: JsonText.Error(completed.Error),
                Attempts: 0,
                StartedAt: startedAt,
                FinishedAt: completed.Type == ExecutionEventType.NodeSkipped ? null : completed.Timestamp,
                HasBlobs: outputs?.HasBlobs ?? false));
        }

        return rows;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the large outputs of node {NodeId} of execution {ExecutionId}; its live event goes without them")]
    private static partial void LogLiveOutputsNotStored(ILogger logger, Exception exception, Guid executionId, string? nodeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Count} completed nodes of execution {ExecutionId}; the final write will")]
    private static partial void LogProgressNotWritten(ILogger logger, Exception exception, Guid executionId, int count);
}
