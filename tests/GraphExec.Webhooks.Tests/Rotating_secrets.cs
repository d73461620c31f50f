using System.Net;
using GraphExec.Core.Data;

namespace GraphExec.Webhooks.Tests;

/// <summary>After a rotation both secrets sign valid deliveries until the grace period ends, then only the new one.</summary>
public sealed class Rotating_secrets
{
    private const string Body = """{"who":"Ada"}""";

    [Test]
    public async Task Should_accept_old_and_new_secrets_during_the_grace_period_and_only_the_new_one_after()
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync();
        var old = webhook.Secret;
        var rotated = HooksApp.NewSecret();
        await TestRun.Hooks.UpdateWebhookAsync(webhook.Id, w =>
        {
            w.PreviousSecret = w.Secret;
            w.PreviousSecretExpiresAt = DateTimeOffset.UtcNow.AddHours(24);
            w.Secret = TestRun.Hooks.Protect(w.Id, rotated);
        });
        using var client = TestRun.Hooks.CreateClient();

        var id = $"msg_{Guid.NewGuid():N}";
        var ts = Signing.Now();
        var both = Signing.Delivery(webhook.Id, rotated, Body, id, ts,
            signature: $"{Signing.Standard(old, id, ts, Body)} {Signing.Standard(rotated, id, ts, Body)}");
        using var withOld = await client.SendAsync(Signing.Delivery(webhook.Id, old, Body));
        using var withNew = await client.SendAsync(Signing.Delivery(webhook.Id, rotated, Body));
        using var withBoth = await client.SendAsync(both);

        await TestRun.Hooks.UpdateWebhookAsync(webhook.Id, w => w.PreviousSecretExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1));
        using var oldAfterGrace = await client.SendAsync(Signing.Delivery(webhook.Id, old, Body));
        using var newAfterGrace = await client.SendAsync(Signing.Delivery(webhook.Id, rotated, Body));

        Assert.That(withOld.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(withNew.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(withBoth.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(oldAfterGrace.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(newAfterGrace.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }
}
