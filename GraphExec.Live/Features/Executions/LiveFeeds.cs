using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GraphExec.Live.Features.Executions;

/// <summary>
/// The subscriptions of this instance's connections, and for each execution that has any, one subscription to its Redis
/// channel whose messages go to every local subscriber. An instance hears only the executions its own clients watch.
/// </summary>
public sealed class LiveFeeds(
    IConnectionMultiplexer redis, IHubContext<ExecutionsHub> hub, Backlog backlog, LiveMetrics metrics, IOptions<LiveOptions> options,
    ILogger<LiveFeeds> logger)
{
    /// <summary>Bounds what one connection can make this instance hold.</summary>
    public const int MaxSubscriptionsPerConnection = 100;

    private readonly Lock _lock = new();
    private readonly Dictionary<(Guid OwnerId, Guid ExecutionId), Feed> _feeds = [];
    private readonly Dictionary<string, Dictionary<Guid, Subscription>> _connections = new(StringComparer.Ordinal);

    /// <summary>
    /// Subscribes the connection (replacing its earlier subscription to the same execution), and returns once the events
    /// after <paramref name="afterSequence"/> that the backlog holds are sent; newer ones follow as they arrive.
    /// <paramref name="closeConnection"/> closes the connection when it reads too slowly.
    /// </summary>
    public async Task<Subscription> SubscribeAsync(
        string connectionId, Guid ownerId, Guid executionId, long afterSequence, Action closeConnection, CancellationToken cancellationToken)
    {
        var subscription = new Subscription(
            connectionId, ownerId, executionId, afterSequence, closeConnection, hub, backlog, metrics, options.Value, logger);
        var earlierEnded = Task.CompletedTask;
        Feed feed;
        lock (_lock)
        {
            if (!_connections.TryGetValue(connectionId, out var subscriptions))
            {
                _connections[connectionId] = subscriptions = [];
            }

            if (subscriptions.TryGetValue(executionId, out var earlier))
            {
                RemoveLocked(earlier);
                earlierEnded = earlier.Ended;
            }
            else if (subscriptions.Count >= MaxSubscriptionsPerConnection)
            {
                throw new HubException($"A connection may watch at most {MaxSubscriptionsPerConnection} executions at once.");
            }

            subscriptions[executionId] = subscription;
            if (!_feeds.TryGetValue((ownerId, executionId), out feed!))
            {
                _feeds[(ownerId, executionId)] = feed = new Feed(redis.GetSubscriber(), backlog.Channel(ownerId, executionId));
            }

            feed.Add(subscription);
            metrics.Subscribed();
        }

        try
        {
            // Subscribed to the channel before the replay reads the backlog: an event is either read or received, or both.
            await feed.Ready.WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            Remove(subscription);
            throw;
        }

        // The stream it replaces may be sending its last event; the new one starts after it, so nothing interleaves.
        await earlierEnded;
        // The pump outlives the Subscribe call: without its execution context it does not keep that call's activity and
        // logging scopes alive for as long as the subscription lasts.
        using (ExecutionContext.SuppressFlow())
        {
            subscription.Start();
        }
        _ = subscription.Ended.ContinueWith(_ => Remove(subscription), TaskScheduler.Default);
        await subscription.Replayed.WaitAsync(cancellationToken);
        return subscription;
    }

    public void Unsubscribe(string connectionId, Guid executionId)
    {
        lock (_lock)
        {
            if (_connections.TryGetValue(connectionId, out var subscriptions) && subscriptions.TryGetValue(executionId, out var subscription))
            {
                RemoveLocked(subscription);
            }
        }
    }

    public void RemoveConnection(string connectionId)
    {
        lock (_lock)
        {
            if (_connections.TryGetValue(connectionId, out var subscriptions))
            {
                foreach (var subscription in subscriptions.Values.ToList())
                {
                    RemoveLocked(subscription);
                }
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            RemoveLocked(subscription);
        }
    }

    private void RemoveLocked(Subscription subscription)
    {
        if (!_connections.TryGetValue(subscription.ConnectionId, out var subscriptions)
            || !subscriptions.TryGetValue(subscription.ExecutionId, out var current)
            || current != subscription)
        {
            return;
        }

        subscription.Stop();
        subscriptions.Remove(subscription.ExecutionId);
        if (subscriptions.Count == 0)
        {
            _connections.Remove(subscription.ConnectionId);
        }

        metrics.Unsubscribed();
        var key = (subscription.OwnerId, subscription.ExecutionId);
        if (_feeds.TryGetValue(key, out var feed) && feed.Remove(subscription))
        {
            _feeds.Remove(key);
            _ = feed.CloseAsync();
        }
    }

    /// <summary>One execution's Redis channel on this instance and its local subscribers.</summary>
    private sealed class Feed
    {
        private readonly ISubscriber _subscriber;
        private readonly RedisChannel _channel;
        private Subscription[] _subscribers = [];

        public Feed(ISubscriber subscriber, RedisChannel channel)
        {
            _subscriber = subscriber;
            _channel = channel;
            Ready = SubscribeAsync();
        }

        /// <summary>Completes once Redis delivers the channel's messages here.</summary>
        public Task<ChannelMessageQueue> Ready { get; }

        /// <summary>Under the feeds' lock.</summary>
        public void Add(Subscription subscription) => _subscribers = [.. _subscribers, subscription];

        /// <summary>Under the feeds' lock; true when none is left.</summary>
        public bool Remove(Subscription subscription)
        {
            _subscribers = [.. _subscribers.Where(s => s != subscription)];
            return _subscribers.Length == 0;
        }

        public async Task CloseAsync()
        {
            try
            {
                await (await Ready).UnsubscribeAsync();
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                // Already gone with the connection.
            }
        }

        private async Task<ChannelMessageQueue> SubscribeAsync()
        {
            var queue = await _subscriber.SubscribeAsync(_channel);
            // One message at a time, in the order Redis delivered them.
            queue.OnMessage(message =>
            {
                var executionEvent = LiveEvent.Parse((byte[])message.Message!);
                foreach (var subscription in Volatile.Read(ref _subscribers))
                {
                    subscription.Offer(executionEvent);
                }
            });
            return queue;
        }
    }
}
