using System.Threading.Channels;
using GraphExec.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace GraphExec.Live.Features.Executions;

/// <summary>
/// One connection's subscription to one execution. A single pump sends its events, so they leave in order, and it sends
/// an event only when its sequence is the next one: anything at or below the last sent is a duplicate (an event both
/// replayed and received live) and is dropped; a jump means events were missed (received before the replay read them,
/// dropped while the connection was slow, or lost with a Redis reconnect) and they are read from the backlog first,
/// which holds every event the Worker has published. So the client sees no gap and no duplicate.
/// A connection that stops reading holds at most <see cref="LiveOptions.SubscriptionBufferBytes"/> of events per subscription
/// (the rest stays in the backlog), and is closed once one event has waited <see cref="LiveOptions.SlowClientTimeout"/> to be
/// written; its client reconnects and resumes from the last sequence it saw.
/// </summary>
public sealed partial class Subscription
{
    /// <summary>Events waiting for a busy connection; beyond them the backlog fills the gap once the connection catches up.</summary>
    private const int InboxCapacity = 1024;

    private readonly Channel<LiveEvent> _inbox;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<int> _replayed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IHubContext<ExecutionsHub> _hub;
    private readonly Backlog _backlog;
    private readonly LiveMetrics _metrics;
    private readonly ILogger _logger;
    private readonly LiveOptions _options;
    private readonly Action _closeConnection;
    private long _last;
    private long _queuedBytes;
    private int _behind;
    private bool _completed;

    public Subscription(
        string connectionId, Guid ownerId, Guid executionId, long afterSequence, Action closeConnection,
        IHubContext<ExecutionsHub> hub, Backlog backlog, LiveMetrics metrics, LiveOptions options, ILogger logger)
    {
        ConnectionId = connectionId;
        OwnerId = ownerId;
        ExecutionId = executionId;
        _last = afterSequence;
        _hub = hub;
        _backlog = backlog;
        _metrics = metrics;
        _logger = logger;
        _options = options;
        _closeConnection = closeConnection;
        _inbox = Channel.CreateBounded<LiveEvent>(
            new BoundedChannelOptions(InboxCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    }

    public string ConnectionId { get; }

    public Guid OwnerId { get; }

    public Guid ExecutionId { get; }

    /// <summary>Completes with the number of events the replay sent, once it has sent them.</summary>
    public Task<int> Replayed => _replayed.Task;

    /// <summary>Whether the final event was sent; nothing more will be.</summary>
    public bool IsCompleted => Volatile.Read(ref _completed);

    /// <summary>Completes when the subscription has ended: final event sent, unsubscribed, or failed.</summary>
    public Task Ended { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Hands over an event received live (or the stored outcome); never blocks. An event beyond the inbox's count or bytes is
    /// dropped, to be read from the backlog once the connection catches up; a lone event always fits.
    /// </summary>
    public void Offer(LiveEvent executionEvent)
    {
        var size = executionEvent.Json.Length;
        var queued = Interlocked.Add(ref _queuedBytes, size);
        if ((queued > _options.SubscriptionBufferBytes && queued != size) || !_inbox.Writer.TryWrite(executionEvent))
        {
            Interlocked.Add(ref _queuedBytes, -size);
            Volatile.Write(ref _behind, 1);
        }
    }

    /// <summary>Replays the backlog after the sequence the client asked for, then sends what arrives.</summary>
    public void Start() => Ended = Task.Run(PumpAsync);

    public void Stop()
    {
        _inbox.Writer.TryComplete();
        _stop.Cancel();
    }

    private async Task PumpAsync()
    {
        var token = _stop.Token;
        try
        {
            _replayed.TrySetResult(await CatchUpAsync(long.MaxValue, replay: true, token));
            while (!_completed && await _inbox.Reader.WaitToReadAsync(token))
            {
                while (!_completed && _inbox.Reader.TryRead(out var executionEvent))
                {
                    Interlocked.Add(ref _queuedBytes, -executionEvent.Json.Length);
                    await HandleAsync(executionEvent, token);
                }

                if (!_completed && Interlocked.Exchange(ref _behind, 0) == 1)
                {
                    // Events were dropped while this connection was slow; the last of them may have been the final one.
                    await CatchUpAsync(long.MaxValue, replay: false, token);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Unsubscribed or disconnected.
        }
        catch (SlowClientException)
        {
            LogSlowClient(_logger, ConnectionId, ExecutionId, _options.SlowClientTimeout.TotalSeconds, _last);
            _metrics.ClosedSlowClient();
            _closeConnection();
        }
        catch (Exception exception)
        {
            LogFailed(_logger, exception, ExecutionId, ConnectionId);
            _replayed.TrySetException(exception);
        }
        finally
        {
            _replayed.TrySetCanceled(CancellationToken.None);
        }
    }

    private async Task HandleAsync(LiveEvent executionEvent, CancellationToken cancellationToken)
    {
        if (executionEvent.Sequence <= _last)
        {
            return;
        }

        if (executionEvent.Sequence > _last + 1)
        {
            await CatchUpAsync(executionEvent.Sequence, replay: false, cancellationToken);
            if (_completed || executionEvent.Sequence <= _last)
            {
                return;
            }

            // Only events the Worker itself dropped (Redis away beyond its buffer) or the backlog trimmed can be missing.
            LogGap(_logger, ExecutionId, _last, executionEvent.Sequence);
        }

        await SendAsync(executionEvent, replayed: false, cancellationToken);
    }

    /// <returns>How many events were sent.</returns>
    private async Task<int> CatchUpAsync(long to, bool replay, CancellationToken cancellationToken)
    {
        var sent = 0;
        await foreach (var executionEvent in _backlog.ReadAsync(OwnerId, ExecutionId, _last + 1, to).WithCancellation(cancellationToken))
        {
            if (executionEvent.Sequence > _last)
            {
                await SendAsync(executionEvent, replay, cancellationToken);
                sent++;
                if (_completed)
                {
                    break;
                }
            }
        }

        return sent;
    }

    private async Task SendAsync(LiveEvent executionEvent, bool replayed, CancellationToken cancellationToken)
    {
        // SignalR gives up a write whose token is cancelled and aborts the connection itself; the check after it tells why.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.SlowClientTimeout);
        try
        {
            await _hub.Clients.Client(ConnectionId).SendAsync(ExecutionsHubContract.ExecutionEvent, executionEvent, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SlowClientException();
        }

        if (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new SlowClientException();
        }

        _last = executionEvent.Sequence;
        _metrics.Delivered(executionEvent, replayed);
        if (executionEvent.IsCompletion)
        {
            Volatile.Write(ref _completed, true);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live events of execution {ExecutionId} after {Last} up to {Next} are not in the backlog; going on from {Next}")]
    private static partial void LogGap(ILogger logger, Guid executionId, long last, long next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closed connection {ConnectionId}: an event of execution {ExecutionId} waited {Seconds} s to be written (the client reads nothing); it may reconnect and resume after sequence {Last}")]
    private static partial void LogSlowClient(ILogger logger, string connectionId, Guid executionId, double seconds, long last);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Streaming execution {ExecutionId} to connection {ConnectionId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid executionId, string connectionId);
}

/// <summary>An event could not be written to the connection within <see cref="LiveOptions.SlowClientTimeout"/>.</summary>
internal sealed class SlowClientException : Exception;
