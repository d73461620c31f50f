using System.Net.Http.Json;
using System.Text.Json;

namespace GraphExec.Testing;

/// <summary>
/// A queue of its own bound to the exchange that MassTransit publishes <typeparamref name="TMessage"/> to, read through
/// RabbitMQ's management API; it sees every message published from the moment it starts.
/// </summary>
public sealed class BusObserver<TMessage> : IAsyncDisposable
{
    /// <summary>MassTransit's name for a message type's exchange: <c>Namespace:Type</c>.</summary>
    private static readonly string Exchange = Uri.EscapeDataString($"{typeof(TMessage).Namespace}:{typeof(TMessage).Name}");

    private readonly HttpClient _management;
    private readonly string _vhost;
    private readonly string _queue = $"observer-{Guid.NewGuid():N}";
    private readonly List<TMessage> _published = [];

    private BusObserver(IsolatedServers servers)
    {
        _management = RabbitManagement.CreateClient(servers.Connections.BrokerManagement);
        _vhost = Uri.EscapeDataString(servers.Name);
    }

    /// <summary>Starts observing on <paramref name="servers"/> (the run's own by default).</summary>
    public static async Task<BusObserver<TMessage>> StartAsync(IsolatedServers? servers = null)
    {
        var observer = new BusObserver<TMessage>(servers ?? RealServersSetUp.Isolated);
        var management = observer._management;
        var vhost = observer._vhost;

        // What MassTransit declares for a published message type: a durable fanout exchange named after the type.
        (await management.PutAsJsonAsync($"api/exchanges/{vhost}/{Exchange}", new { type = "fanout", durable = true })).EnsureSuccessStatusCode();
        (await management.PutAsJsonAsync($"api/queues/{vhost}/{observer._queue}", new { durable = false, auto_delete = false })).EnsureSuccessStatusCode();
        (await management.PostAsJsonAsync($"api/bindings/{vhost}/e/{Exchange}/q/{observer._queue}", new { routing_key = "" })).EnsureSuccessStatusCode();
        return observer;
    }

    /// <summary>
    /// Every message published since the observer started, once at least <paramref name="atLeast"/> have been seen.
    /// Nothing published before the call is missing: each reading sends a marker straight to the observer's queue and
    /// reads up to it, and a publish that was confirmed before the marker was sent stands ahead of it in the queue. So
    /// "exactly one" and "none" are proven by what the queue holds, never by waiting a while.
    /// </summary>
    public Task<IReadOnlyList<TMessage>> PublishedAsync(int atLeast = 0) =>
        Poll.UntilAsync<IReadOnlyList<TMessage>>(
            async () =>
            {
                await ReadUpToMarkerAsync();
                return [.. _published];
            },
            published => published.Count >= atLeast,
            $"{atLeast} {typeof(TMessage).Name} message(s) to be published",
            describe: published => $"{published.Count} published");

    private async Task ReadUpToMarkerAsync()
    {
        var marker = Guid.NewGuid().ToString("N");
        using (var sent = await _management.PostAsJsonAsync($"api/exchanges/{_vhost}/amq.default/publish", new
        {
            properties = new { },
            routing_key = _queue,
            payload = JsonSerializer.Serialize(new { marker }),
            payload_encoding = "string",
        }))
        {
            sent.EnsureSuccessStatusCode();
        }

        var markerSeen = false;
        await Poll.UntilAsync(
            async () =>
            {
                using var got = await _management.PostAsJsonAsync(
                    $"api/queues/{_vhost}/{_queue}/get", new { count = 100, ackmode = "ack_requeue_false", encoding = "auto" });
                got.EnsureSuccessStatusCode();
                foreach (var message in (await got.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray())
                {
                    using var body = JsonDocument.Parse(message.GetProperty("payload").GetString()!);
                    if (body.RootElement.TryGetProperty("marker", out var seen))
                    {
                        markerSeen |= seen.GetString() == marker;
                    }
                    else
                    {
                        // MassTransit's envelope, the message inside it in camelCase.
                        _published.Add(body.RootElement.GetProperty("message").Deserialize<TMessage>(JsonSerializerOptions.Web)!);
                    }
                }

                return markerSeen;
            },
            "the observer's marker to come back");
    }

    public async ValueTask DisposeAsync()
    {
        await _management.DeleteAsync($"api/queues/{_vhost}/{_queue}");
        _management.Dispose();
    }
}
