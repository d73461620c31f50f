using GraphExec.Core.Executions;
using GraphExec.ServiceDefaults;
using StackExchange.Redis;

namespace GraphExec.Live.Features.Executions;

/// <summary>Reads a run's events from its backlog in Redis, which the Worker appends to before it publishes each one.</summary>
public sealed class Backlog(IConnectionMultiplexer redis, IConfiguration configuration)
{
    private const int PageSize = 500;

    private readonly string? _keyPrefix = configuration[CacheSettings.KeyPrefix];

    /// <summary>The events from sequence <paramref name="from"/> to <paramref name="to"/> that the backlog holds, in order.</summary>
    public async IAsyncEnumerable<LiveEvent> ReadAsync(Guid ownerId, Guid executionId, long from, long to = long.MaxValue)
    {
        var key = LiveStream.BacklogKey(_keyPrefix, ownerId, executionId);
        var database = redis.GetDatabase();
        while (from <= to)
        {
            var entries = await database.StreamRangeAsync(
                key, LiveStream.EntryId(from), to == long.MaxValue ? "+" : LiveStream.EntryId(to), PageSize);
            foreach (var entry in entries)
            {
                yield return LiveEvent.Parse((byte[])entry[LiveStream.EventField]!);
            }

            if (entries.Length < PageSize)
            {
                yield break;
            }

            from = LiveStream.SequenceOf(entries[^1].Id!) + 1;
        }
    }

    public Task<bool> ExistsAsync(Guid ownerId, Guid executionId) =>
        redis.GetDatabase().KeyExistsAsync(LiveStream.BacklogKey(_keyPrefix, ownerId, executionId));

    public RedisChannel Channel(Guid ownerId, Guid executionId) =>
        RedisChannel.Literal(LiveStream.Channel(_keyPrefix, ownerId, executionId));
}
