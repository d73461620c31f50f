using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Testing;

namespace GraphExec.Api.Tests;

/// <summary>
/// Owners name an error handler in a graph's settings and add notification endpoints; what names something the owner
/// does not have, or a URL a delivery may not reach, is refused with the field at fault.
/// </summary>
public sealed class Managing_notifications
{
    private HttpClient _client = null!;

    [SetUp]
    public async Task SignUpAsync() => _client = await TestRun.Api.NewUserAsync();

    [TearDown]
    public void SignOut() => _client.Dispose();

    [Test]
    public async Task Should_create_list_and_delete_an_endpoint_whose_secret_shows_only_once()
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);

        using var created = await _client.PostAsJsonAsync($"/api/graphs/{graph}/notifications", new { url = "https://example.com/hooks/failed" });
        var endpoint = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = endpoint.GetProperty("id").GetGuid();
        var listed = await _client.GetFromJsonAsync<JsonElement>($"/api/graphs/{graph}/notifications");
        using var deleted = await _client.DeleteAsync($"/api/notifications/{id}");
        using var deletedAgain = await _client.DeleteAsync($"/api/notifications/{id}");

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(endpoint.GetProperty("url").GetString(), Is.EqualTo("https://example.com/hooks/failed"));
            Assert.That(endpoint.GetProperty("events").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "failed", "timedOut" }));
            var secret = endpoint.GetProperty("secret").GetString()!;
            Assert.That(secret, Does.StartWith("whsec_"));
            Assert.That(Convert.FromBase64String(secret["whsec_".Length..]), Has.Length.EqualTo(32));
            Assert.That(endpoint.GetProperty("enabled").GetBoolean(), Is.True);
            var item = listed.GetProperty("items").EnumerateArray().Single();
            Assert.That(item.GetProperty("id").GetGuid(), Is.EqualTo(id));
            Assert.That(item.GetProperty("secret").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(deletedAgain.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [TestCase("ftp://example.com/x", "/url")]
    [TestCase("not a url", "/url")]
    [TestCase("http://127.0.0.1:8080/x", "/url")]
    [TestCase("http://localhost/x", "/url")]
    [TestCase("http://169.254.169.254/latest/meta-data", "/url")]
    [TestCase("http://user:password@example.com/x", "/url")]
    public async Task Should_refuse_a_url_a_delivery_may_not_use(string url, string field)
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);

        using var response = await _client.PostAsJsonAsync($"/api/graphs/{graph}/notifications", new { url });

        await AssertRefusedAsync(response, field);
    }

    [Test]
    public async Task Should_refuse_an_over_long_url_and_an_unknown_event()
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);

        using var tooLong = await _client.PostAsJsonAsync($"/api/graphs/{graph}/notifications", new { url = "https://example.com/" + new string('a', 2000) });
        using var unknownEvent = await _client.PostAsJsonAsync($"/api/graphs/{graph}/notifications", new { url = "https://example.com/", events = new[] { "failed", "succeeded" } });

        await AssertRefusedAsync(tooLong, "/url");
        await AssertRefusedAsync(unknownEvent, "/events/1");
    }

    [Test]
    public async Task Should_answer_404_for_another_users_graph_or_endpoint()
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);
        using var created = await _client.PostAsJsonAsync($"/api/graphs/{graph}/notifications", new { url = "https://example.com/" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var other = await TestRun.Api.NewUserAsync();

        using var create = await other.PostAsJsonAsync($"/api/graphs/{graph}/notifications", new { url = "https://example.com/" });
        using var list = await other.GetAsync($"/api/graphs/{graph}/notifications");
        using var delete = await other.DeleteAsync($"/api/notifications/{id}");

        Assert.That(new[] { create.StatusCode, list.StatusCode, delete.StatusCode }, Is.All.EqualTo(HttpStatusCode.NotFound));
        var mine = await _client.GetFromJsonAsync<JsonElement>($"/api/graphs/{graph}/notifications");
        Assert.That(mine.GetProperty("items").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_keep_the_error_handler_in_the_graph_json()
    {
        var handler = await _client.SaveGraphAsync(Graphs.Named("On failure"));
        var json = WithErrorHandler(Graphs.Greeting, handler);

        var graph = await _client.SaveGraphAsync(json);
        var saved = await _client.GetFromJsonAsync<JsonElement>($"/api/graphs/{graph}");

        Assert.That(saved.GetProperty("definition").GetProperty("settings").GetProperty("errorGraphId").GetGuid(), Is.EqualTo(handler));
    }

    [Test]
    public async Task Should_refuse_an_unknown_a_foreign_or_its_own_error_handler()
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);
        using var other = await TestRun.Api.NewUserAsync();
        var foreign = await other.SaveGraphAsync(Graphs.Greeting);

        using var unknown = await _client.PostAsync("/api/graphs", Graphs.Json(WithErrorHandler(Graphs.Greeting, Guid.CreateVersion7())));
        using var ofAnother = await _client.PostAsync("/api/graphs", Graphs.Json(WithErrorHandler(Graphs.Greeting, foreign)));
        using var itself = await _client.PutAsync($"/api/graphs/{graph}", Graphs.Json(WithErrorHandler(Graphs.Greeting, graph)));
        using var notAnId = await _client.PostAsync("/api/graphs", Graphs.Json(Graphs.Greeting.TrimEnd().TrimEnd('}') + """, "settings": { "errorGraphId": "nope" } }"""));

        await AssertRefusedAsync(unknown, "/settings/errorGraphId");
        await AssertRefusedAsync(ofAnother, "/settings/errorGraphId");
        await AssertRefusedAsync(itself, "/settings/errorGraphId");
        await AssertRefusedAsync(notAnId, "/settings/errorGraphId");
    }

    private static string WithErrorHandler(string graph, Guid handler)
    {
        var json = JsonNode.Parse(graph)!.AsObject();
        json["settings"] = new JsonObject { ["errorGraphId"] = handler };
        return json.ToJsonString();
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), problem.ToString());
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }
}
