using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Api.Tests;

/// <summary>
/// JSON that parses but that PostgreSQL's jsonb cannot store (U+0000) or that is not Unicode text (an unpaired surrogate,
/// which .NET refuses to read), sent as an attacker would to every entry point that stores JSON: 400 naming where, nothing
/// stored, and an ordinary request right after still works.
/// </summary>
public sealed class Refusing_text_that_cannot_be_stored
{
    private HttpClient _client = null!;

    [SetUp]
    public async Task SignInAsync() => _client = await TestRun.Api.NewUserAsync();

    [TearDown]
    public void DisposeClient() => _client.Dispose();

    [TestCase("""{ "inputs": { "who": "Ada\u0000Lovelace" } }""", "/inputs/who", TestName = "Run inputs holding U+0000")]
    [TestCase("""{ "inputs": { "who": "Ada\ud800" } }""", "/inputs/who", TestName = "Run inputs holding an unpaired surrogate")]
    [TestCase("""{ "inputs": { "who": ["ok", { "deep": "\udfff" }] } }""", "/inputs/who/1/deep", TestName = "Run inputs holding an unpaired surrogate deep down")]
    [TestCase("""{ "inputs": { "who": "Ada", "x\udc00": 1 } }""", "/inputs", TestName = "Run inputs with a name that is not Unicode text")]
    public async Task Should_refuse_a_run_and_store_nothing(string body, string pointer)
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);

        using var response = await _client.PostAsync($"/api/graphs/{graph}/executions", Graphs.Json(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        Assert.That(await Signing_up_and_in.ErrorFieldsAsync(response), Is.EqualTo(new[] { pointer }));
        Assert.That((await _client.GetFromJsonAsync<JsonElement>($"/api/executions?graphId={graph}")).GetProperty("items").GetArrayLength(), Is.Zero);
        await AssertAnOrdinaryRunIsAcceptedAsync(graph);
    }

    [TestCase("Ada\\u0000", TestName = "Schedule inputs holding U+0000")]
    [TestCase("Ada\\ud800", TestName = "Schedule inputs holding an unpaired surrogate")]
    public async Task Should_refuse_a_schedule_and_store_nothing(string who)
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);
        var body = $$"""{ "cron": "0 9 * * *", "inputs": { "who": "{{who}}" } }""";

        using var response = await _client.PostAsync($"/api/graphs/{graph}/schedules", Graphs.Json(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        Assert.That(await Signing_up_and_in.ErrorFieldsAsync(response), Is.EqualTo(new[] { "/inputs/who" }));
        Assert.That((await _client.GetFromJsonAsync<JsonElement>($"/api/graphs/{graph}/schedules")).GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [TestCase("Hello, \\u0000", TestName = "A graph holding U+0000")]
    [TestCase("Hello, \\udbff", TestName = "A graph holding an unpaired surrogate")]
    public async Task Should_refuse_a_graph_and_store_nothing(string text)
    {
        var graph = Graphs.Greeting.Replace("Hello, ", text, StringComparison.Ordinal);

        using var response = await _client.PostAsync("/api/graphs", Graphs.Json(graph));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        Assert.That(await Signing_up_and_in.ErrorFieldsAsync(response), Has.Length.EqualTo(1).And.All.StartWith("/nodes/"));
        Assert.That((await _client.GetFromJsonAsync<JsonElement>("/api/graphs")).GetProperty("items").GetArrayLength(), Is.Zero);
    }

    private async Task AssertAnOrdinaryRunIsAcceptedAsync(Guid graph)
    {
        using var run = await _client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { inputs = new { who = "Ada" } });
        Assert.That(run.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }
}
