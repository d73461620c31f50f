using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GraphExec.Core.Data;

namespace GraphExec.Webhooks.Tests;

/// <summary>
/// A webhook with the GitHub scheme checks <c>X-Hub-Signature-256</c> and dedupes by the signed body, since GitHub signs
/// nothing else: a repeated <c>X-GitHub-Delivery</c> and a replay under a new one both answer the first execution.
/// </summary>
public sealed class Receiving_github_deliveries
{
    private const string Body = """{"action":"opened","who":"Ada"}""";

    private const string OtherBody = """{"action":"closed","who":"Ada"}""";

    [Test]
    public async Task Should_accept_a_github_signature_dedupe_by_delivery_and_refuse_a_wrong_one()
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync(WebhookScheme.GitHub);
        using var client = TestRun.Hooks.CreateClient();
        var delivery = Guid.NewGuid().ToString();

        using var first = await client.SendAsync(GitHub(webhook.Id, delivery, Signing.GitHub(webhook.Secret, Body)));
        using var again = await client.SendAsync(GitHub(webhook.Id, delivery, Signing.GitHub(webhook.Secret, Body)));
        using var wrong = await client.SendAsync(GitHub(webhook.Id, Guid.NewGuid().ToString(), Signing.GitHub(HooksApp.NewSecret(), Body)));
        using var standard = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, Body));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await first.Content.ReadAsStringAsync());
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(await ExecutionIdAsync(again), Is.EqualTo(await ExecutionIdAsync(first)));
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(standard.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a GitHub webhook takes only GitHub signatures");
        Assert.That(await TestRun.Hooks.ExecutionsAsync(webhook.OwnerId), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Should_answer_a_replay_under_a_new_delivery_id_with_the_first_execution()
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync(WebhookScheme.GitHub);
        using var client = TestRun.Hooks.CreateClient();
        var signature = Signing.GitHub(webhook.Secret, Body);

        using var first = await client.SendAsync(GitHub(webhook.Id, Guid.NewGuid().ToString(), signature));
        using var replayed = await client.SendAsync(GitHub(webhook.Id, Guid.NewGuid().ToString(), signature));
        using var another = await client.SendAsync(GitHub(webhook.Id, Guid.NewGuid().ToString(), Signing.GitHub(webhook.Secret, OtherBody), OtherBody));

        Assert.That(new[] { first.StatusCode, replayed.StatusCode, another.StatusCode }, Is.All.EqualTo(HttpStatusCode.Accepted));
        var firstRun = await ExecutionIdAsync(first);
        Assert.That(await ExecutionIdAsync(replayed), Is.EqualTo(firstRun));
        Assert.That(await ExecutionIdAsync(another), Is.Not.EqualTo(firstRun));
        Assert.That(await TestRun.Hooks.ExecutionsAsync(webhook.OwnerId), Has.Count.EqualTo(2));
    }

    private static HttpRequestMessage GitHub(Guid webhookId, string delivery, string signature, string body = Body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{webhookId}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-GitHub-Delivery", delivery);
        request.Headers.Add("X-GitHub-Event", "pull_request");
        request.Headers.Add("X-Hub-Signature-256", signature);
        return request;
    }

    private static async Task<Guid> ExecutionIdAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetGuid();
}
