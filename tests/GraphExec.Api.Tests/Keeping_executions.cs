using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Api.Tests;

/// <summary>
/// A user chooses how long their executions are kept (1 to 365 days, 30 unless chosen) and pins the ones to keep
/// forever; another user's execution cannot be pinned, nor can it be told apart from one that does not exist.
/// </summary>
public sealed class Keeping_executions
{
    private HttpClient _client = null!;

    [SetUp]
    public async Task SignUpAsync() => _client = await TestRun.Api.NewUserAsync();

    [TearDown]
    public void SignOut() => _client.Dispose();

    [Test]
    public async Task Should_keep_executions_30_days_until_the_user_chooses_otherwise()
    {
        var before = await _client.GetFromJsonAsync<JsonElement>("/api/me/settings");
        using var put = await _client.PutAsJsonAsync("/api/me/settings", new { retentionDays = 90 });
        var after = await _client.GetFromJsonAsync<JsonElement>("/api/me/settings");

        Assert.That(before.GetProperty("retentionDays").GetInt32(), Is.EqualTo(30));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after.GetProperty("retentionDays").GetInt32(), Is.EqualTo(90));
    }

    [TestCase(0)]
    [TestCase(366)]
    [TestCase(null)]
    public async Task Should_refuse_a_retention_out_of_range_naming_the_field(int? days)
    {
        using var put = await _client.PutAsJsonAsync("/api/me/settings", new { retentionDays = days });
        var problem = await put.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("errors").TryGetProperty("retentionDays", out _), Is.True, problem.ToString());
        var settings = await _client.GetFromJsonAsync<JsonElement>("/api/me/settings");
        Assert.That(settings.GetProperty("retentionDays").GetInt32(), Is.EqualTo(30), "nothing changed");
    }

    [Test]
    public async Task Should_pin_and_unpin_an_execution_and_show_it()
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);
        var execution = await _client.StartExecutionAsync(graph, new { who = "Ada" });

        using var pin = await _client.PutAsync($"/api/executions/{execution}/pin", null);
        var pinned = await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{execution}");
        var listed = await _client.GetFromJsonAsync<JsonElement>($"/api/executions?graphId={graph}");
        using var unpin = await _client.DeleteAsync($"/api/executions/{execution}/pin");
        var unpinned = await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{execution}");

        Assert.That((pin.StatusCode, unpin.StatusCode), Is.EqualTo((HttpStatusCode.NoContent, HttpStatusCode.NoContent)));
        Assert.That(pinned.GetProperty("pinned").GetBoolean(), Is.True);
        Assert.That(listed.GetProperty("items")[0].GetProperty("pinned").GetBoolean(), Is.True);
        Assert.That(unpinned.GetProperty("pinned").GetBoolean(), Is.False);
    }

    [Test]
    public async Task Should_answer_404_for_another_users_execution()
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);
        var execution = await _client.StartExecutionAsync(graph, new { who = "Ada" });
        using var stranger = await TestRun.Api.NewUserAsync();

        using var pin = await stranger.PutAsync($"/api/executions/{execution}/pin", null);
        var still = await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{execution}");

        Assert.That(pin.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(still.GetProperty("pinned").GetBoolean(), Is.False);
    }
}
