using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Api.Tests;

/// <summary>A manual run stores the execution as Queued and puts exactly one ExecuteGraph on the bus.</summary>
public sealed class Running_a_graph_manually
{
    private const string Exchange = "GraphExec.Core.Messages:ExecuteGraph";

    private HttpClient _client = null!;
    private HttpClient _management = null!;
    private string _queue = null!;
    private string _vhost = null!;

    [SetUp]
    public async Task ObserveTheBusAsync()
    {
        _client = await TestRun.Api.NewUserAsync();
        _management = RabbitManagement.CreateClient(RealServersSetUp.Isolated.Connections.BrokerManagement);
        _vhost = Uri.EscapeDataString(RealServersSetUp.Isolated.Name);
        _queue = $"observer-{Guid.NewGuid():N}";

        // What MassTransit declares for a published message type: a durable fanout exchange named after the type.
        (await _management.PutAsJsonAsync($"api/exchanges/{_vhost}/{Uri.EscapeDataString(Exchange)}", new { type = "fanout", durable = true })).EnsureSuccessStatusCode();
        (await _management.PutAsJsonAsync($"api/queues/{_vhost}/{_queue}", new { durable = false, auto_delete = false })).EnsureSuccessStatusCode();
        (await _management.PostAsJsonAsync($"api/bindings/{_vhost}/e/{Uri.EscapeDataString(Exchange)}/q/{_queue}", new { routing_key = "" })).EnsureSuccessStatusCode();
    }

    [TearDown]
    public async Task StopObservingAsync()
    {
        await _management.DeleteAsync($"api/queues/{_vhost}/{_queue}");
        _management.Dispose();
        _client.Dispose();
    }

    [Test]
    public async Task Should_store_a_queued_execution_and_publish_exactly_one_message()
    {
        var graph = await CreateGreetingAsync();

        using var response = await _client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { inputs = new { who = "Ada" }, live = true });
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var executionId = accepted.GetProperty("executionId").GetGuid();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(accepted.GetProperty("status").GetString(), Is.EqualTo("Queued"));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/executions/{executionId}"));

        var execution = await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{executionId}");
        Assert.That(execution.GetProperty("status").GetString(), Is.EqualTo("Queued"));
        Assert.That(execution.GetProperty("trigger").GetString(), Is.EqualTo("manual"));
        Assert.That(execution.GetProperty("graphVersion").GetInt32(), Is.EqualTo(1));
        Assert.That(execution.GetProperty("inputs").GetProperty("who").GetString(), Is.EqualTo("Ada"));
        Assert.That(execution.GetProperty("live").GetBoolean(), Is.True);

        var published = await PublishedExecutionIdsAsync(expectAtLeast: 1);
        Assert.That(published, Is.EqualTo(new[] { executionId }));
    }

    [Test]
    public async Task Should_pin_the_version_that_was_newest_when_the_run_started()
    {
        var graph = await CreateGreetingAsync();
        using var first = await _client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { inputs = new { } });
        (await _client.PutAsync($"/api/graphs/{graph}", Graphs.Json(Graphs.Named("Greeting v2")))).EnsureSuccessStatusCode();
        using var second = await _client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { inputs = new { } });

        var versions = new List<int>();
        foreach (var run in new[] { first, second })
        {
            var id = (await run.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetGuid();
            versions.Add((await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{id}")).GetProperty("graphVersion").GetInt32());
        }

        Assert.That(versions, Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public async Task Should_refuse_inputs_the_graph_does_not_take_and_store_nothing()
    {
        var graph = await CreateGreetingAsync(Graphs.Greeting.Replace("\"default\": \"world\"", "\"type\": \"string\"", StringComparison.Ordinal));

        using var response = await _client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { inputs = new { who = 42, whom = "x" } });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Signing_up_and_in.ErrorFieldsAsync(response), Is.EquivalentTo(new[] { "/inputs/who", "/inputs/whom" }));
        var executions = await _client.GetFromJsonAsync<JsonElement>($"/api/executions?graphId={graph}");
        Assert.That(executions.GetProperty("items").GetArrayLength(), Is.Zero);
        Assert.That(await PublishedExecutionIdsAsync(expectAtLeast: 0), Is.Empty);
    }

    [Test]
    public async Task Should_filter_executions_by_graph_status_and_trigger()
    {
        var first = await CreateGreetingAsync();
        var second = await CreateGreetingAsync();
        foreach (var graph in new[] { first, first, second })
        {
            (await _client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { inputs = new { } })).EnsureSuccessStatusCode();
        }

        var ofFirst = await _client.GetFromJsonAsync<JsonElement>($"/api/executions?graphId={first}&status=queued&trigger=manual");
        var running = await _client.GetFromJsonAsync<JsonElement>($"/api/executions?status=Running");

        Assert.That(ofFirst.GetProperty("items").GetArrayLength(), Is.EqualTo(2));
        Assert.That(running.GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Should_cancel_a_queued_execution_so_that_it_never_starts()
    {
        var graph = await CreateGreetingAsync();
        using var run = await _client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { inputs = new { } });
        var id = (await run.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetGuid();

        using var cancelled = await _client.PostAsync($"/api/executions/{id}/cancel", null);
        using var again = await _client.PostAsync($"/api/executions/{id}/cancel", null);
        var execution = await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{id}");

        Assert.That(cancelled.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(execution.GetProperty("status").GetString(), Is.EqualTo("Cancelled"));
        Assert.That(execution.GetProperty("finishedAt").ValueKind, Is.EqualTo(JsonValueKind.String));
    }

    private async Task<Guid> CreateGreetingAsync(string json = Graphs.Greeting)
    {
        using var created = await _client.PostAsync("/api/graphs", Graphs.Json(json));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Takes every message off the observer queue, waiting (bounded) until at least the expected number arrived.</summary>
    private async Task<List<Guid>> PublishedExecutionIdsAsync(int expectAtLeast)
    {
        var ids = new List<Guid>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            using var got = await _management.PostAsJsonAsync(
                $"api/queues/{_vhost}/{_queue}/get", new { count = 100, ackmode = "ack_requeue_false", encoding = "auto" });
            foreach (var message in (await got.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray())
            {
                using var envelope = JsonDocument.Parse(message.GetProperty("payload").GetString()!);
                ids.Add(envelope.RootElement.GetProperty("message").GetProperty("executionId").GetGuid());
            }

            if (ids.Count >= expectAtLeast && expectAtLeast > 0)
            {
                // Give a duplicate the chance to show up before concluding there is exactly one.
                await Task.Delay(500);
                expectAtLeast = 0;
                continue;
            }

            if (ids.Count >= expectAtLeast)
            {
                return ids;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        return ids;
    }
}
