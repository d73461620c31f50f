using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Api.Tests;

/// <summary>
/// A re-run is a new manual execution with an earlier one's inputs, on the version that execution ran or on the graph's
/// newest; nothing is stored when the choice or the inputs do not fit.
/// </summary>
public sealed class Running_an_execution_again
{
    private HttpClient _client = null!;

    [SetUp]
    public async Task SignUpAsync() => _client = await TestRun.Api.NewUserAsync();

    [TearDown]
    public void DisposeClient() => _client.Dispose();

    [Test]
    public async Task Should_run_again_with_the_same_inputs_on_the_version_it_ran()
    {
        var (graph, first) = await RunThenSaveVersionTwoAsync(Graphs.Named("Greeting v2"));

        using var response = await _client.PostAsync($"/api/executions/{first}/rerun", content: null);
        var again = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetGuid();
        var execution = await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{again}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/executions/{again}"));
        Assert.That(again, Is.Not.EqualTo(first));
        Assert.That(execution.GetProperty("graphId").GetGuid(), Is.EqualTo(graph));
        Assert.That(execution.GetProperty("graphVersion").GetInt32(), Is.EqualTo(1));
        Assert.That(execution.GetProperty("trigger").GetString(), Is.EqualTo("manual"));
        Assert.That(execution.GetProperty("inputs").GetProperty("who").GetString(), Is.EqualTo("Ada"));
    }

    [Test]
    public async Task Should_run_again_on_the_newest_version_when_asked()
    {
        var (_, first) = await RunThenSaveVersionTwoAsync(Graphs.Named("Greeting v2"));

        using var response = await _client.PostAsJsonAsync($"/api/executions/{first}/rerun", new { version = "newest", live = true });
        var again = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetGuid();
        var execution = await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{again}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(execution.GetProperty("graphVersion").GetInt32(), Is.EqualTo(2));
        Assert.That(execution.GetProperty("inputs").GetProperty("who").GetString(), Is.EqualTo("Ada"));
        Assert.That(execution.GetProperty("live").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Should_refuse_inputs_the_newest_version_no_longer_takes_and_store_nothing()
    {
        var (graph, first) = await RunThenSaveVersionTwoAsync(Graphs.Greeting.Replace("\"name\": \"who\"", "\"name\": \"whom\"", StringComparison.Ordinal));

        using var response = await _client.PostAsJsonAsync($"/api/executions/{first}/rerun", new { version = "newest" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Signing_up_and_in.ErrorFieldsAsync(response), Is.EquivalentTo(new[] { "/inputs/who" }));
        Assert.That(await CountExecutionsAsync(graph), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_refuse_a_version_choice_it_does_not_know_and_store_nothing()
    {
        var (graph, first) = await RunThenSaveVersionTwoAsync(Graphs.Named("Greeting v2"));

        using var response = await _client.PostAsJsonAsync($"/api/executions/{first}/rerun", new { version = "latest" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Signing_up_and_in.ErrorFieldsAsync(response), Is.EquivalentTo(new[] { "/version" }));
        Assert.That(await CountExecutionsAsync(graph), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_answer_404_for_an_unknown_execution_or_a_deleted_graph()
    {
        var (graph, first) = await RunThenSaveVersionTwoAsync(Graphs.Named("Greeting v2"));
        using var unknown = await _client.PostAsync($"/api/executions/{Guid.CreateVersion7()}/rerun", content: null);
        (await _client.DeleteAsync($"/api/graphs/{graph}")).EnsureSuccessStatusCode();

        using var deleted = await _client.PostAsync($"/api/executions/{first}/rerun", content: null);

        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    /// <summary>A Greeting graph run once with <c>who = Ada</c>, then saved again as <paramref name="versionTwo"/>.</summary>
    private async Task<(Guid Graph, Guid Execution)> RunThenSaveVersionTwoAsync(string versionTwo)
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);
        var execution = await _client.StartExecutionAsync(graph, new { who = "Ada" });
        (await _client.PutAsync($"/api/graphs/{graph}", Graphs.Json(versionTwo))).EnsureSuccessStatusCode();
        return (graph, execution);
    }

    private async Task<int> CountExecutionsAsync(Guid graph) =>
        (await _client.GetFromJsonAsync<JsonElement>($"/api/executions?graphId={graph}")).GetProperty("items").GetArrayLength();
}
