using System.Text.Json;
using System.Threading.Channels;
using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Engine;
using GraphExec.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace GraphExec.Webhooks.Features.Ingress;

/// <summary>
/// The optional <c>?wait=</c> of a delivery. Every run's final event goes to its channel in Redis once the run is stored
/// (<see cref="LiveStream"/>; the Worker sends it whether anyone watches the run live or not), so the wait listens there
/// and answers as soon as the run ends, without reading the database while it lasts. The database stays the authority:
/// it is read every <see cref="DatabaseCheckInterval"/> while the wait lasts and once at its end, so a final event that
/// Redis lost (Redis away, the Worker's queue of events full) costs latency, never a wrong answer; a repeated delivery,
/// whose run may have ended before its backlog expired, reads it first.
/// </summary>
public sealed partial class CompletionWait(IConnectionMultiplexer redis, IConfiguration configuration, ILogger<CompletionWait> logger)
{
    /// <summary>How often a wait asks the database whether its run ended without the final event reaching it.</summary>
    public static readonly TimeSpan DatabaseCheckInterval = TimeSpan.FromSeconds(1);

    private const string CompletedType = nameof(ExecutionEventType.ExecutionCompleted);

    private readonly string? _keyPrefix = configuration[CacheSettings.KeyPrefix];

    /// <param name="created">False for a repeated delivery: its run may have ended long ago.</param>
    /// <returns>The ended execution, or null when it is still queued or running at the end of the wait.</returns>
    public async Task<WebhookCompleted?> ForCompletionAsync(
        GraphExecDbContext db, Guid ownerId, Guid executionId, bool created, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!created && await StoredAsync(db, ownerId, executionId, cancellationToken) is { } ended)
        {
            return ended;
        }

        var deadline = time.GetUtcNow() + wait;
        ChannelMessageQueue? messages = null;
        try
        {
            messages = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(LiveStream.Channel(_keyPrefix, ownerId, executionId)));
            // Subscribed before reading the backlog: a final event sent meanwhile is in one or the other, or both.
            if (await LastStoredEventAsync(ownerId, executionId) is { } stored)
            {
                return stored;
            }

            while (time.GetUtcNow() < deadline)
            {
                if (await HeardAsync(messages, Min(deadline - time.GetUtcNow(), DatabaseCheckInterval), time, cancellationToken) is { } heard)
                {
                    return heard;
                }

                if (await StoredAsync(db, ownerId, executionId, cancellationToken) is { } checkedEnded)
                {
                    return checkedEnded;
                }
            }

            return null;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ChannelClosedException)
        {
            LogRedisAway(logger, exception, executionId);
            return await PolledAsync(db, ownerId, executionId, deadline, time, cancellationToken);
        }
        finally
        {
            // Fire and forget: the answer need not wait for Redis to confirm, and a lost unsubscribe ends with the connection.
            messages?.Unsubscribe(CommandFlags.FireAndForget);
        }
    }

    /// <summary>The run's final event if it arrives within <paramref name="within"/>; other events of a watched run pass.</summary>
    private static async Task<WebhookCompleted?> HeardAsync(
        ChannelMessageQueue messages, TimeSpan within, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(within, time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            while (true)
            {
                var message = await messages.ReadAsync(stop.Token);
                if (Completed((byte[]?)message.Message) is { } completed)
                {
                    return completed;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task<WebhookCompleted?> LastStoredEventAsync(Guid ownerId, Guid executionId)
    {
        var last = await redis.GetDatabase().StreamRangeAsync(
            LiveStream.BacklogKey(_keyPrefix, ownerId, executionId), count: 1, messageOrder: Order.Descending);
        return last.Length == 0 ? null : Completed((byte[]?)last[0][LiveStream.EventField]);
    }

    /// <summary>The answer from a final event as the Worker wrote it (the live events' JSON), or null for any other event.</summary>
    private static WebhookCompleted? Completed(byte[]? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("type", out var type) || !type.ValueEquals(CompletedType))
        {
            return null;
        }

        return new WebhookCompleted(
            root.GetProperty("executionId").GetGuid(),
            Enum.Parse<ExecutionStatus>(root.GetProperty("status").GetString()!),
            root.TryGetProperty("outputs", out var outputs) ? outputs.Clone() : null,
            root.TryGetProperty("error", out var error) ? error.Clone() : null);
    }

    /// <summary>Without Redis: the database, every <see cref="DatabaseCheckInterval"/> until the deadline.</summary>
    private static async Task<WebhookCompleted?> PolledAsync(
        GraphExecDbContext db, Guid ownerId, Guid executionId, DateTimeOffset deadline, TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await StoredAsync(db, ownerId, executionId, cancellationToken) is { } ended)
            {
                return ended;
            }

            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            await Task.Delay(Min(left, DatabaseCheckInterval), time, cancellationToken);
        }
    }

    private static async Task<WebhookCompleted?> StoredAsync(GraphExecDbContext db, Guid ownerId, Guid executionId, CancellationToken cancellationToken)
    {
        var execution = await db.Executions.AsNoTracking()
            .Where(e => e.OwnerId == ownerId && e.Id == executionId)
            .Select(e => new { e.Status, e.Outputs, e.Error })
            .SingleAsync(cancellationToken);
        return execution.Status is ExecutionStatus.Queued or ExecutionStatus.Running
            ? null
            : new WebhookCompleted(executionId, execution.Status, JsonColumns.ParseOrNull(execution.Outputs), JsonColumns.ParseOrNull(execution.Error));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis did not answer while a delivery waited for execution {ExecutionId}; asking the database instead")]
    private static partial void LogRedisAway(ILogger logger, Exception exception, Guid executionId);
}
