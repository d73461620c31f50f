using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using GraphExec.Core.Executions;
using GraphExec.Engine;
using GraphExec.Engine.Json;
using GraphExec.ServiceDefaults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GraphExec.Worker.Features.Live;

/// <summary>
/// Sends live events to Redis from a background pump, in the order the engines emitted them: each event is appended to
/// its execution's capped, expiring backlog and then published on the execution's channel, in one script, so that a
/// Live instance that receives an event can always read every earlier one from the backlog. The backlog's entry ids are
/// the sequences, so a retried or repeated event (a batch sent again after a Redis fault, a run resumed after a
/// takeover) is neither stored nor published twice. An event carries small values whole and large ones as their
/// reference (hash, size and preview, as stored; the run's <c>ProgressWriter</c> writes the blob first), never a whole
/// large value: a watcher loads that from the Api.
/// </summary>
public sealed partial class RedisLiveEventPublisher : BackgroundService, ILiveEventPublisher
{
    private const int MaxBatch = 256;

    // KEYS[1] backlog; ARGV: entry id, event JSON, max length, TTL in seconds, channel.
    private const string AppendScript = """
        local added = redis.pcall('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], ARGV[1], 'e', ARGV[2])
        if type(added) == 'table' and added.err then return 0 end
        redis.call('EXPIRE', KEYS[1], ARGV[4])
        redis.call('PUBLISH', ARGV[5], ARGV[2])
        return 1
        """;

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly Channel<Pending> _queue;
    private readonly IConnectionMultiplexer _redis;
    private readonly string? _keyPrefix;
    private readonly LiveOptions _options;
    private readonly long _runningTtlSeconds;
    private readonly long _finishedTtlSeconds;
    private readonly ILogger<RedisLiveEventPublisher> _logger;
    private readonly Counter<long> _published;
    private readonly Counter<long> _dropped;
    private int _queued;

    public RedisLiveEventPublisher(
        IConnectionMultiplexer redis,
        IConfiguration configuration,
        IOptions<LiveOptions> options,
        IOptions<WorkerOptions> worker,
        IMeterFactory meters,
        ILogger<RedisLiveEventPublisher> logger)
    {
        _redis = redis;
        _keyPrefix = configuration[CacheSettings.KeyPrefix];
        _options = options.Value;
        // A running execution's backlog must outlive the run however long it takes; a finished one's only the retention.
        _finishedTtlSeconds = (long)_options.BacklogRetention.TotalSeconds;
        _runningTtlSeconds = (long)(worker.Value.ExecutionTimeout + _options.BacklogRetention).TotalSeconds;
        _logger = logger;
        _queue = Channel.CreateBounded<Pending>(
            new BoundedChannelOptions(_options.MaxQueuedEvents) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            _ => _dropped!.Add(1));

        var meter = meters.Create(Telemetry.GraphExec);
        _published = meter.CreateCounter<long>("graphexec.live.events.published", "{event}", "Live events appended to their backlog and published.");
        _dropped = meter.CreateCounter<long>("graphexec.live.events.dropped", "{event}", "Live events dropped because Redis was away too long.");
        meter.CreateObservableGauge("graphexec.live.events.queued", () => Volatile.Read(ref _queued), "{event}", "Live events waiting for Redis.");
    }

    public void Publish(Guid ownerId, ExecutionEvent executionEvent)
    {
        if (_queue.Writer.TryWrite(new Pending(ownerId, executionEvent)))
        {
            Interlocked.Increment(ref _queued);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                Take(batch);
                await SendAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: send what is queued once, without retrying, so that a finished run's last events are not lost.
            try
            {
                do
                {
                    Take(batch);
                    await SendOnceAsync(batch);
                }
                while (batch.Count > 0);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                LogNotSentAtStop(_logger, exception, Volatile.Read(ref _queued));
            }
        }
    }

    private void Take(List<Pending> batch)
    {
        batch.Clear();
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
        {
            batch.Add(pending);
        }

        Interlocked.Add(ref _queued, -batch.Count);
    }

    /// <summary>Sends the batch, retrying with backoff while Redis is away; appending again is harmless.</summary>
    private async Task SendAsync(List<Pending> batch, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await SendOnceAsync(batch);
                return;
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                LogRetrying(_logger, exception, batch.Count, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    private async Task SendOnceAsync(List<Pending> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        // Issued back to back on one connection, the scripts run in this order; awaiting them together keeps it fast.
        var database = _redis.GetDatabase();
        var sends = new Task<RedisResult>[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            sends[i] = database.ScriptEvaluateAsync(AppendScript, [batch[i].Key(_keyPrefix)], batch[i].Arguments(this));
        }

        await Task.WhenAll(sends);
        _published.Add(batch.Count);
    }

    /// <summary>The event with its error message capped, as stored.</summary>
    private static ExecutionEvent AsStreamed(ExecutionEvent executionEvent) =>
        executionEvent.Error is null ? executionEvent : executionEvent with { Error = ErrorMessages.Capped(executionEvent.Error) };

    private long TtlSeconds(ExecutionEvent executionEvent) =>
        executionEvent.Type == ExecutionEventType.ExecutionCompleted ? _finishedTtlSeconds : _runningTtlSeconds;

    private readonly record struct Pending(Guid OwnerId, ExecutionEvent Event)
    {
        public RedisKey Key(string? keyPrefix) => LiveStream.BacklogKey(keyPrefix, OwnerId, Event.ExecutionId);

        public RedisValue[] Arguments(RedisLiveEventPublisher publisher) =>
        [
            LiveStream.EntryId(Event.Sequence),
            // A finished node's outputs never change, so serializing them here, beside the running engine, is safe.
            JsonSerializer.SerializeToUtf8Bytes(AsStreamed(Event), GraphExecJsonContext.Default.ExecutionEvent),
            publisher._options.BacklogMaxEvents,
            publisher.TtlSeconds(Event),
            LiveStream.Channel(publisher._keyPrefix, OwnerId, Event.ExecutionId),
        ];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send {Count} live events to Redis; retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, Exception exception, int count, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the last live events to Redis while stopping; {Count} left unsent")]
    private static partial void LogNotSentAtStop(ILogger logger, Exception exception, int count);
}
