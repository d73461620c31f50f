using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Core.Data;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.Webhooks.Tests;

/// <summary>
/// Someone without any webhook sends signed-looking deliveries to random ids, as a scanner would: each id that is not
/// cached costs a database query, so one address gets a few, then 429 before any lookup, and nothing of it lands in Redis.
/// Deliveries to webhooks the caches hold go on as before.
/// </summary>
public sealed class Guessing_webhook_ids
{
    private const int Allowed = 5;
    private const string Body = """{"who":"Ada"}""";

    [Test]
    public async Task Should_answer_429_before_looking_up_more_ids_and_keep_serving_known_webhooks()
    {
        await using var app = new HooksApp(new Dictionary<string, string?> { ["Webhooks:UnknownPerAddressPerMinute"] = $"{Allowed}" });
        await app.MigratedAsync();
        var known = await app.CreateWebhookAsync();
        using var client = app.CreateClient();
        using (var warm = await client.SendAsync(Signing.Delivery(known.Id, known.Secret, Body)))
        {
            Assert.That(warm.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        }

        var guesses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < Allowed + 3; i++)
        {
            var response = await client.SendAsync(Signing.Delivery(Guid.CreateVersion7(), HooksApp.NewSecret(), Body));
            guesses.Add(response.StatusCode);
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : refused;
        }

        using var afterwards = await client.SendAsync(Signing.Delivery(known.Id, known.Secret, """{"who":"Grace"}"""));

        Assert.That(guesses, Is.EqualTo(Enumerable.Repeat(HttpStatusCode.NotFound, Allowed).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3))));
        Assert.That(refused!.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(60)));
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Too many deliveries to webhooks that do not exist."));
        Assert.That(afterwards.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "a webhook the caches hold is never held up");
    }

    [Test]
    public async Task Should_keep_no_trace_of_an_unknown_id_in_redis_and_no_plain_secret_of_a_known_one()
    {
        var known = await TestRun.Hooks.CreateWebhookAsync();
        var unknown = Guid.CreateVersion7();
        using var client = TestRun.Hooks.CreateClient();

        using var missed = await client.SendAsync(Signing.Delivery(unknown, HooksApp.NewSecret(), Body));
        using var accepted = await client.SendAsync(Signing.Delivery(known.Id, known.Secret, Body));

        Assert.That(missed.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var redis = TestRun.Hooks.Services.GetRequiredService<IDistributedCache>();
        Assert.That(await redis.GetAsync(WebhookCache.Key(unknown)), Is.Null);
        var cached = await redis.GetAsync(WebhookCache.Key(known.Id));
        Assert.That(cached, Is.Not.Null, "a webhook that exists is cached there");
        Assert.That(System.Text.Encoding.UTF8.GetString(cached!), Does.Not.Contain(known.Secret["whsec_".Length..]), "its secret is cached encrypted");
    }
}
