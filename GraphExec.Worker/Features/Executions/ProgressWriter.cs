using System.Threading.Channels;
using GraphExec.Core.Executions;
using GraphExec.Engine;

namespace GraphExec.Worker.Features.Executions;

/// <summary>
/// The engine's observer for one run. It only queues each event (the engine's thread never waits on I/O) and hands
/// live runs' events to the live publisher (all but the final one, which the runner publishes once it is stored); a loop beside the run writes the nodes completed so far in one batch per
/// <see cref="WorkerOptions.FlushInterval"/> or <see cref="WorkerOptions.FlushBatchSize"/> nodes, so that a worker
/// taking over resumes from them. A run that ends within the interval writes nothing here: its final write has it all.
/// </summary>
public sealed partial class ProgressWriter : IExecutionObserver, IAsyncDisposable
{
    private readonly Channel<ExecutionEvent> _events = Channel.CreateUnbounded<ExecutionEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly CancellationTokenSource _stop = new();
    private readonly Claim _claim;
    private readonly ExecutionStore _store;
    private readonly WorkerOptions _options;
    private readonly ILiveEventPublisher? _live;
    private readonly ILogger _logger;
    private readonly Dictionary<string, DateTimeOffset> _startedAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExecutionEvent> _completed = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private long _sequence;

    public ProgressWriter(Claim claim, ExecutionStore store, WorkerOptions options, ILiveEventPublisher? live, ILogger logger)
    {
        _claim = claim;
        _store = store;
        _options = options;
        _live = live;
        _logger = logger;
        _loop = Task.Run(WriteLoopAsync);
    }

    public void OnEvent(ExecutionEvent executionEvent)
    {
        if (executionEvent.Type != ExecutionEventType.ExecutionCompleted)
        {
            _live?.Publish(_claim.OwnerId, executionEvent);
        }

        _events.Writer.TryWrite(executionEvent);
    }

    /// <summary>Stops writing; a write under way finishes, what is still queued is left to the final write.</summary>
    public async ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (await _events.Reader.WaitToReadAsync(_stop.Token))
            {
                await CollectAsync();
                if (_completed.Count > 0 && !_stop.IsCancellationRequested)
                {
                    await WriteAsync();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The run ended; its final write stores every node.
        }
    }

    /// <summary>Takes events until the interval is up or a batch is full.</summary>
    private async Task CollectAsync()
    {
        using var interval = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        interval.CancelAfter(_options.FlushInterval);
        try
        {
            do
            {
                while (_completed.Count < _options.FlushBatchSize && _events.Reader.TryRead(out var executionEvent))
                {
                    Take(executionEvent);
                }
            }
            while (_completed.Count < _options.FlushBatchSize && await _events.Reader.WaitToReadAsync(interval.Token));
        }
        catch (OperationCanceledException) when (interval.IsCancellationRequested && !_stop.IsCancellationRequested)
        {
            // The interval is up: write what there is.
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
            case ExecutionEventType.NodeCompleted or ExecutionEventType.NodeFailed or ExecutionEventType.NodeSkipped:
                _completed[executionEvent.NodeId!] = executionEvent;
                break;
        }
    }

    private async Task WriteAsync()
    {
        // A finished node's outputs never change, so reading them here, beside the running engine, is safe.
        var rows = _completed.Values.Select(e => new NodeRow(
            e.NodeId!,
            Enum.Parse<NodeStatus>(e.Status),
            Inputs: null,
            Outputs: e.Outputs is null ? null : JsonText.Object(e.Outputs),
            Error: JsonText.Error(e.Error),
            Attempts: 0,
            StartedAt: _startedAt.TryGetValue(e.NodeId!, out var started) ? started : null,
            FinishedAt: e.Type == ExecutionEventType.NodeSkipped ? null : e.Timestamp)).ToList();
        _completed.Clear();
        try
        {
            await _store.WriteProgressAsync(_claim, rows, _sequence, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Only resumption suffers: the final write stores these nodes again.
            LogProgressNotWritten(_logger, exception, _claim.ExecutionId, rows.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Count} completed nodes of execution {ExecutionId}; the final write will")]
    private static partial void LogProgressNotWritten(ILogger logger, Exception exception, Guid executionId, int count);
}
