using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Api.Tests;

/// <summary>Owners create, list, disable, rotate and delete webhooks; the secret shows in full only when it is new.</summary>
public sealed class Managing_webhooks
{
    private HttpClient _client = null!;

    [SetUp]
    public async Task SignUpAsync() => _client = await TestRun.Api.NewUserAsync();

    [TearDown]
    public void SignOut() => _client.Dispose();

    [Test]
    public async Task Should_create_a_webhook_with_a_public_url_and_a_secret_shown_only_once()
    {
        var graph = await CreateGraphAsync();

        using var created = await _client.PostAsJsonAsync($"/api/graphs/{graph}/webhooks", new { });
        var webhook = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = webhook.GetProperty("id").GetGuid();
        var listed = await _client.GetFromJsonAsync<JsonElement>($"/api/graphs/{graph}/webhooks");

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(webhook.GetProperty("url").GetString(), Is.EqualTo($"http://localhost:5002/hooks/{id}"));
        var secret = webhook.GetProperty("secret").GetString()!;
        Assert.That(secret, Does.StartWith("whsec_"));
        Assert.That(Convert.FromBase64String(secret["whsec_".Length..]), Has.Length.EqualTo(32));
        Assert.That(webhook.GetProperty("enabled").GetBoolean(), Is.True);
        Assert.That(webhook.GetProperty("scheme").GetString(), Is.EqualTo("standard"));
        var item = listed.GetProperty("items").EnumerateArray().Single();
        Assert.That(item.GetProperty("id").GetGuid(), Is.EqualTo(id));
        Assert.That(item.GetProperty("secret").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Should_disable_rotate_list_deliveries_and_delete()
    {
        var graph = await CreateGraphAsync();
        using var created = await _client.PostAsJsonAsync($"/api/graphs/{graph}/webhooks", new { scheme = "github" });
        var webhook = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = webhook.GetProperty("id").GetGuid();

        using var disabled = await _client.PutAsJsonAsync($"/api/webhooks/{id}", new { enabled = false });
        using var rotated = await _client.PostAsync($"/api/webhooks/{id}/rotate", null);
        var afterRotation = await rotated.Content.ReadFromJsonAsync<JsonElement>();
        var deliveries = await _client.GetFromJsonAsync<JsonElement>($"/api/webhooks/{id}/deliveries");
        using var deleted = await _client.DeleteAsync($"/api/webhooks/{id}");
        using var deletedAgain = await _client.DeleteAsync($"/api/webhooks/{id}");

        Assert.That(webhook.GetProperty("scheme").GetString(), Is.EqualTo("github"));
        Assert.That((await disabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean(), Is.False);
        Assert.That(rotated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(afterRotation.GetProperty("secret").GetString(), Does.StartWith("whsec_").And.Not.EqualTo(webhook.GetProperty("secret").GetString()));
        Assert.That(afterRotation.GetProperty("previousSecretExpiresAt").GetDateTimeOffset(),
            Is.EqualTo(DateTimeOffset.UtcNow.AddHours(24)).Within(TimeSpan.FromMinutes(5)));
        Assert.That(deliveries.GetProperty("items").GetArrayLength(), Is.Zero);
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(deletedAgain.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Should_answer_404_for_another_users_graph_or_webhook()
    {
        var graph = await CreateGraphAsync();
        using var created = await _client.PostAsJsonAsync($"/api/graphs/{graph}/webhooks", new { });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var other = await TestRun.Api.NewUserAsync();

        var answers = new[]
        {
            await other.PostAsJsonAsync($"/api/graphs/{graph}/webhooks", new { }),
            await other.GetAsync($"/api/graphs/{graph}/webhooks"),
            await other.PutAsJsonAsync($"/api/webhooks/{id}", new { enabled = false }),
            await other.PostAsync($"/api/webhooks/{id}/rotate", null),
            await other.GetAsync($"/api/webhooks/{id}/deliveries"),
            await other.DeleteAsync($"/api/webhooks/{id}"),
        };

        Assert.That(answers.Select(answer => answer.StatusCode), Is.All.EqualTo(HttpStatusCode.NotFound));
        var mine = await _client.GetFromJsonAsync<JsonElement>($"/api/graphs/{graph}/webhooks");
        Assert.That(mine.GetProperty("items").EnumerateArray().Single().GetProperty("enabled").GetBoolean(), Is.True);
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    private Task<Guid> CreateGraphAsync() => _client.SaveGraphAsync(Graphs.Greeting);
}
