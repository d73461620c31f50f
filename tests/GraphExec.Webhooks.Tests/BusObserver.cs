using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Webhooks.Tests;

/// <summary>A queue of its own bound to the <c>ExecuteGraph</c> exchange, read through the management API.</summary>
public sealed class BusObserver : IAsyncDisposable
{
    private const string Exchange = "GraphExec.Core.Messages:ExecuteGraph";

    private readonly HttpClient _management = RabbitManagement.CreateClient(RealServersSetUp.Isolated.Connections.BrokerManagement);
    private readonly string _vhost = Uri.EscapeDataString(RealServersSetUp.Isolated.Name);
    private readonly string _queue = $"observer-{Guid.NewGuid():N}";

    public static async Task<BusObserver> StartAsync()
    {
        var observer = new BusObserver();
        var m = observer._management;
        (await m.PutAsJsonAsync($"api/exchanges/{observer._vhost}/{Uri.EscapeDataString(Exchange)}", new { type = "fanout", durable = true })).EnsureSuccessStatusCode();
        (await m.PutAsJsonAsync($"api/queues/{observer._vhost}/{observer._queue}", new { durable = false, auto_delete = false })).EnsureSuccessStatusCode();
        (await m.PostAsJsonAsync($"api/bindings/{observer._vhost}/e/{Uri.EscapeDataString(Exchange)}/q/{observer._queue}", new { routing_key = "" })).EnsureSuccessStatusCode();
        return observer;
    }

    /// <summary>Every execution id published so far, waiting (bounded) for at least the expected number, then a little more.</summary>
    public async Task<List<Guid>> PublishedExecutionIdsAsync(int expectAtLeast)
    {
        var ids = new List<Guid>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var settled = false;
        while (DateTime.UtcNow < deadline)
        {
            using var got = await _management.PostAsJsonAsync(
                $"api/queues/{_vhost}/{_queue}/get", new { count = 100, ackmode = "ack_requeue_false", encoding = "auto" });
            foreach (var message in (await got.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray())
            {
                using var envelope = JsonDocument.Parse(message.GetProperty("payload").GetString()!);
                ids.Add(envelope.RootElement.GetProperty("message").GetProperty("executionId").GetGuid());
            }

            if (ids.Count >= expectAtLeast)
            {
                if (settled)
                {
                    return ids;
                }

                // Give a duplicate the chance to show up before concluding.
                settled = true;
                await Task.Delay(500);
                continue;
            }

            await Task.Delay(200);
        }

        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        await _management.DeleteAsync($"api/queues/{_vhost}/{_queue}");
        _management.Dispose();
    }
}
