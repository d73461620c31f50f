using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace GraphExec.Api.Tests;

/// <summary>
/// A manual run's input over <c>Blobs:MaxValueBytes</c> (small here, to keep the test fast) answers 413 with a problem
/// document naming it and stores nothing; one over the inline threshold only is kept in blob storage, and its owner
/// reads it back whole from the reference's link.
/// </summary>
public sealed class Refusing_inputs_too_large_to_store
{
    private ApiApp _api = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartApi() => _api = new ApiApp(new Dictionary<string, string?>
    {
        ["Blobs:InlineThresholdBytes"] = "1024",
        ["Blobs:MaxValueBytes"] = "2048",
    });

    [OneTimeTearDown]
    public async Task StopApiAsync() => await _api.DisposeAsync();

    [SetUp]
    public async Task SignUpAsync() => _client = await _api.NewUserAsync();

    [TearDown]
    public void SignOut() => _client.Dispose();

    [Test]
    public async Task Should_answer_413_naming_the_input_and_store_nothing()
    {
        var graph = await CreateGreetingAsync();

        using var refused = await _client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { inputs = new { who = new string('w', 3000) } });
        var listed = await _client.GetFromJsonAsync<JsonElement>("/api/executions");

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("errors").TryGetProperty("/inputs/who", out _), Is.True, problem.ToString());
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("who"));
        Assert.That(listed.GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Should_keep_an_input_over_the_threshold_in_blob_storage_and_stream_it_to_its_owner()
    {
        var graph = await CreateGreetingAsync();
        var who = new string('w', 1500);

        using var accepted = await _client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { inputs = new { who } });
        var id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetGuid();
        var execution = await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{id}");
        var reference = execution.GetProperty("inputs").GetProperty("who");
        var value = await _client.GetFromJsonAsync<string>(reference.GetProperty("href").GetString());

        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(reference.GetProperty("bytes").GetInt64(), Is.EqualTo(1502));
        Assert.That(value, Is.EqualTo(who));
    }

    private async Task<Guid> CreateGreetingAsync()
    {
        using var created = await _client.PostAsync("/api/graphs", Graphs.Json(Graphs.Greeting));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
