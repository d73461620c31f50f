using System.Net;
using System.Security.Cryptography;
using System.Text;
using StandardWebhooks;

namespace GraphExec.Webhooks.Tests;

/// <summary>The signature scheme matches the Standard Webhooks spec's own example, computed here independently.</summary>
public sealed class Verifying_signatures
{
    // The example of the Standard Webhooks specification.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private const string Body = """{"test": 2432232314}""";
    private const string Expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Test]
    public void Should_compute_the_spec_example_signature_independently_and_with_the_library()
    {
        var key = Convert.FromBase64String(Secret["whsec_".Length..]);
        var independent = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{Id}.{Timestamp}.{Body}")));

        Assert.That(independent, Is.EqualTo(Expected));
        Assert.That(Signing.Standard(Secret, Id, Timestamp, Body), Is.EqualTo(Expected));
        Assert.That(new StandardWebhook(Secret).Sign(Id, DateTimeOffset.FromUnixTimeSeconds(Timestamp), Body), Is.EqualTo(Expected));
    }

    [Test]
    public async Task Should_accept_a_delivery_signed_like_the_spec_example_and_refuse_the_example_itself_as_stale()
    {
        var webhook = await TestRun.Hooks.CreateWebhookAsync(secret: Secret);
        using var client = TestRun.Hooks.CreateClient();

        using var fresh = await client.SendAsync(Signing.Delivery(webhook.Id, Secret, Body));
        using var stale = await client.SendAsync(Signing.Delivery(webhook.Id, Secret, Body, Id, Timestamp, Expected));

        Assert.That(fresh.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await fresh.Content.ReadAsStringAsync());
        Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await stale.Content.ReadAsStringAsync(), Does.Contain("too old"));
    }
}
