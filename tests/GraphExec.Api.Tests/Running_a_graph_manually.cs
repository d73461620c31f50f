using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Core.Messages;
using GraphExec.Testing;

namespace GraphExec.Api.Tests;

/// <summary>A manual run stores the execution as Queued and puts exactly one ExecuteGraph on the bus.</summary>
public sealed class Running_a_graph_manually
{
    private HttpClient _client = null!;
    private BusObserver<ExecuteGraph> _bus = null!;

    [SetUp]
    public async Task ObserveTheBusAsync()
    {
        _client = await TestRun.Api.NewUserAsync();
        _bus = await BusObserver<ExecuteGraph>.StartAsync();
    }

    [TearDown]
    public async Task StopObservingAsync()
    {
        await _bus.DisposeAsync();
        _client.Dispose();
    }

    [Test]
    public async Task Should_store_a_queued_execution_and_publish_exactly_one_message()
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);

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

        var published = await _bus.PublishedAsync(atLeast: 1);
        Assert.That(published.Select(message => message.ExecutionId), Is.EqualTo(new[] { executionId }));
    }

    [Test]
    public async Task Should_pin_the_version_that_was_newest_when_the_run_started()
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);
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
        var graph = await _client.SaveGraphAsync(Graphs.Greeting.Replace("\"default\": \"world\"", "\"type\": \"string\"", StringComparison.Ordinal));

        using var response = await _client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { inputs = new { who = 42, whom = "x" } });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Signing_up_and_in.ErrorFieldsAsync(response), Is.EquivalentTo(new[] { "/inputs/who", "/inputs/whom" }));
        var executions = await _client.GetFromJsonAsync<JsonElement>($"/api/executions?graphId={graph}");
        Assert.That(executions.GetProperty("items").GetArrayLength(), Is.Zero);
        Assert.That(await _bus.PublishedAsync(), Is.Empty);
    }

    [Test]
    public async Task Should_filter_executions_by_graph_status_and_trigger()
    {
        var first = await _client.SaveGraphAsync(Graphs.Greeting);
        var second = await _client.SaveGraphAsync(Graphs.Greeting);
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
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);
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
}
