using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GraphExec.Core.Data;

namespace GraphExec.Webhooks.Tests;

/// <summary>Every refusal answers a problem document, starts nothing, and is recorded without the payload.</summary>
public sealed class Refusing_deliveries
{
    private const string Body = """{"who":"Mallory"}""";

    /// <summary>A graph whose only input must be text.</summary>
    private const string TypedInputGraph = """
        {
          "name": "Typed",
          "nodes": [
            { "id": "who", "block": "input",  "config": { "name": "who", "type": "string" } },
            { "id": "out", "block": "output", "config": { "name": "who" } }
          ],
          "edges": [ { "from": "who.value", "to": "out.value" } ]
        }
        """;

    [Test]
    public async Task Should_refuse_bad_stale_and_missing_signatures_with_401_and_record_them()
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync();
        using var client = TestRun.Hooks.CreateClient();

        var wrongKey = Signing.Delivery(webhook.Id, HooksApp.NewSecret(), Body);
        var stale = Signing.Delivery(webhook.Id, webhook.Secret, Body, timestamp: Signing.Now() - 301);
        var future = Signing.Delivery(webhook.Id, webhook.Secret, Body, timestamp: Signing.Now() + 400);
        var tampered = Signing.Delivery(webhook.Id, webhook.Secret, Body);
        tampered.Content = new StringContent("""{"who":"Eve"}""", Encoding.UTF8, "application/json");
        var unsigned = Signing.Delivery(webhook.Id, webhook.Secret, Body);
        unsigned.Headers.Remove("webhook-signature");
        var empty = Signing.Delivery(webhook.Id, webhook.Secret, Body, signature: "v1,");

        foreach (var request in new[] { wrongKey, stale, future, tampered, unsigned, empty })
        {
            using var response = await client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }

        Assert.That(await TestRun.Hooks.ExecutionsAsync(webhook.OwnerId), Is.Empty);
        var deliveries = await TestRun.Hooks.DeliveriesAsync(webhook);
        Assert.That(deliveries.Select(d => d.StatusCode), Is.All.EqualTo(401));
        Assert.That(deliveries, Has.Count.EqualTo(6));
        Assert.That(deliveries.Select(d => d.Rejection), Has.None.Contains("Mallory"));
    }

    [Test]
    public async Task Should_answer_404_for_an_unknown_or_disabled_webhook()
    {
        var disabled = await TestRun.Hooks.CreateWebhookAsync(enabled: false);
        using var client = TestRun.Hooks.CreateClient();

        using var unknown = await client.SendAsync(Signing.Delivery(Guid.CreateVersion7(), HooksApp.NewSecret(), Body));
        using var off = await client.SendAsync(Signing.Delivery(disabled.Id, disabled.Secret, Body));

        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(unknown.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await TestRun.Hooks.ExecutionsAsync(disabled.OwnerId), Is.Empty);
        Assert.That((await TestRun.Hooks.DeliveriesAsync(disabled)).Single().StatusCode, Is.EqualTo(404));
    }

    [Test]
    public async Task Should_answer_413_for_a_body_over_the_limit_even_without_a_content_length()
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync();
        using var client = TestRun.Hooks.CreateClient();
        var large = JsonSerializer.Serialize(new { who = new string('a', 5000) });

        using var declared = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, large));
        var chunked = Signing.Delivery(webhook.Id, webhook.Secret, large);
        chunked.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(large)));
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        using var streamed = await client.SendAsync(chunked);

        Assert.That(declared.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(streamed.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(await TestRun.Hooks.ExecutionsAsync(webhook.OwnerId), Is.Empty);
        Assert.That((await TestRun.Hooks.DeliveriesAsync(webhook)).Select(d => d.StatusCode), Is.EqualTo(new[] { 413, 413 }));
    }

    [Test]
    public async Task Should_answer_415_for_a_body_that_is_not_json()
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync();
        using var client = TestRun.Hooks.CreateClient();

        var form = Signing.Delivery(webhook.Id, webhook.Secret, "who=Ada");
        form.Content = new StringContent("who=Ada", Encoding.UTF8, "application/x-www-form-urlencoded");
        var broken = Signing.Delivery(webhook.Id, webhook.Secret, "{\"who\":");

        using var formResponse = await client.SendAsync(form);
        using var brokenResponse = await client.SendAsync(broken);

        Assert.That(formResponse.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(brokenResponse.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(await TestRun.Hooks.ExecutionsAsync(webhook.OwnerId), Is.Empty);
    }

    [Test]
    public async Task Should_answer_415_for_a_body_that_is_not_utf8_and_record_it()
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync();
        using var client = TestRun.Hooks.CreateClient();
        var latin1 = Signing.Delivery(webhook.Id, webhook.Secret, Body);
        latin1.Content = new ByteArrayContent([.. "{\"who\":\""u8, 0xC9, .. "ve\"}"u8]);
        latin1.Content.Headers.ContentType = new("application/json");

        using var response = await client.SendAsync(latin1);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), Does.Contain("UTF-8"));
        await AssertRefusedOnceAsync(webhook, 415);
    }

    [Test]
    public async Task Should_answer_400_for_a_delivery_id_longer_than_the_ingress_keeps()
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync();
        using var client = TestRun.Hooks.CreateClient();

        using var response = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, Body, id: "msg_" + new string('a', 300)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await AssertRefusedOnceAsync(webhook, 400)).DeliveryId, Is.Null, "an id that long is not kept");
    }

    [Test]
    public async Task Should_answer_400_naming_each_input_that_does_not_fit_the_graph_and_record_it()
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync(definition: TypedInputGraph);
        using var client = TestRun.Hooks.CreateClient();
        var deliveryId = $"msg_{Guid.NewGuid():N}";

        using var response = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, """{"who":5,"extra":true}""", id: deliveryId));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "/inputs/who" }), "unknown inputs pass");
        var delivery = await AssertRefusedOnceAsync(webhook, 400);
        Assert.That(delivery.DeliveryId, Is.EqualTo(deliveryId));
        Assert.That(delivery.Rejection, Does.StartWith("The inputs do not fit the graph"));
    }

    [TestCase("""{"who":"Ada","event":{"lines":["ok","nul \u0000 here"]}}""", "/inputs/event/lines/1", TestName = "U+0000")]
    [TestCase("""{"who":"Ada","event":{"lines":["ok","half \ud83d a pair"]}}""", "/inputs/event/lines/1", TestName = "An unpaired surrogate")]
    [TestCase("""{"who":"Ada","event":{"\udc00":1}}""", "/inputs/event", TestName = "A name that is not Unicode text")]
    public async Task Should_answer_400_naming_text_the_database_cannot_store_and_accept_the_deliveries_sent_with_it(string body, string pointer)
    {
        // Valid JSON, but PostgreSQL's jsonb has no U+0000 and .NET reads no unpaired surrogate: refused before the insert,
        // so the deliveries that would share its insert (another sender's, at the same moment) are not failed with it.
        var webhook = await TestRun.Hooks.CreateWebhookAsync();
        var another = await TestRun.Hooks.CreateWebhookAsync();
        using var client = TestRun.Hooks.CreateClient();
        var deliveryId = $"msg_{Guid.NewGuid():N}";

        var others = Enumerable.Range(0, 10)
            .Select(i => client.SendAsync(Signing.Delivery(another.Id, another.Secret, $$"""{"who":"sender {{i}}"}"""))).ToList();
        using var response = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, body, id: deliveryId));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { pointer }));
        Assert.That((await AssertRefusedOnceAsync(webhook, 400)).DeliveryId, Is.EqualTo(deliveryId));
        foreach (var other in await Task.WhenAll(others))
        {
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            other.Dispose();
        }
    }

    [Test]
    public async Task Should_answer_404_when_the_webhooks_graph_was_deleted_and_record_why()
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync();
        await TestRun.Hooks.DeleteGraphAsync(webhook.OwnerId, webhook.GraphId);
        using var client = TestRun.Hooks.CreateClient();

        using var response = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, Body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(), Is.EqualTo("The webhook does not exist."));
        Assert.That((await AssertRefusedOnceAsync(webhook, 404)).Rejection, Is.EqualTo("The webhook's graph was deleted."));
    }

    [Test]
    public async Task Should_answer_409_when_the_graphs_saved_version_no_longer_validates()
    {
        // As if a block the graph used had since been removed from the catalogue.
        var webhook = await TestRun.Hooks.CreateWebhookAsync(definition: """
            { "name": "Stale", "nodes": [ { "id": "gone", "block": "no-longer-a-block", "config": {} } ], "edges": [] }
            """);
        using var client = TestRun.Hooks.CreateClient();

        using var response = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, Body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        await AssertRefusedOnceAsync(webhook, 409);
    }

    [Test]
    public async Task Should_answer_429_with_retry_after_over_the_webhooks_rate_and_record_it()
    {
        await using var limited = new HooksApp(new Dictionary<string, string?>
        {
            ["Webhooks:Burst"] = "3",
            ["Webhooks:PermitsPerSecond"] = "1",
        });
        await limited.MigratedAsync();
        var webhook = await limited.CreateWebhookAsync();
        var other = await limited.CreateWebhookAsync();
        using var client = limited.CreateClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 10; i++)
        {
            var response = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, Body));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused ??= response;
            }
        }

        using var otherResponse = await client.SendAsync(Signing.Delivery(other.Id, other.Secret, Body));

        Assert.That(statuses, Does.Contain(HttpStatusCode.TooManyRequests));
        Assert.That(refused!.Headers.RetryAfter?.Delta, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
        Assert.That((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32(), Is.EqualTo(429));
        Assert.That(otherResponse.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "another webhook has a bucket of its own");
        var deliveries = await limited.DeliveriesAsync(webhook);
        Assert.That(deliveries, Has.Count.EqualTo(10), "each delivery recorded once");
        Assert.That(deliveries.Count(d => d.StatusCode == 429), Is.EqualTo(statuses.Count(s => s == HttpStatusCode.TooManyRequests)));
    }

    [Test]
    public async Task Should_answer_429_naming_the_quota_once_the_owner_has_as_many_runs_queued_as_it_allows_and_store_nothing()
    {
        // No Worker runs here, so every run stays Queued.
        await using var app = new HooksApp(new Dictionary<string, string?> { ["Quotas:QueuedExecutions"] = "2" });
        await app.MigratedAsync();
        var webhook = await app.CreateWebhookAsync();
        using var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            using var accepted = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, Body));
            statuses.Add(accepted.StatusCode);
        }

        using var refused = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, Body));
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.Accepted));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(problem.GetProperty("quota").GetString(), Is.EqualTo("queuedExecutions"));
        Assert.That(problem.GetProperty("limit").GetString(), Is.EqualTo("2"));
        Assert.That(await app.ExecutionsAsync(webhook.OwnerId), Has.Count.EqualTo(2), "the refused delivery stored no run");
        var deliveries = await app.DeliveriesAsync(webhook);
        Assert.That(deliveries.Select(d => d.StatusCode), Is.EquivalentTo(new[] { 202, 202, 429 }));
    }

    /// <summary>The refusal started nothing and is the webhook's one recorded delivery, with the status it answered.</summary>
    private static async Task<WebhookDelivery> AssertRefusedOnceAsync(Webhook webhook, int statusCode)
    {
        Assert.That(await TestRun.Hooks.ExecutionsAsync(webhook.OwnerId), Is.Empty, "nothing started");
        var delivery = (await TestRun.Hooks.DeliveriesAsync(webhook)).Single();
        Assert.That(delivery.StatusCode, Is.EqualTo(statusCode));
        return delivery;
    }
}
