using System.Net;
using System.Text;
using GraphExec.Core.Data;

namespace GraphExec.Webhooks.Tests;

/// <summary>
/// Every header and content-type variant a careless or hostile sender might send to a real webhook of each scheme:
/// missing, empty, garbled and oversized signature headers, timestamps out of any range, bodies that are not JSON or hold
/// text that cannot be stored, query values out of range. None may answer 5xx or drop the connection, and an ordinary
/// delivery is accepted right after.
/// </summary>
public sealed class Sending_malformed_deliveries
{
    private const string Body = """{"who":"Ada"}""";

    private static readonly string?[] Ids = [null, "", " ", new string('x', 10_000), "msg_\u00e9", "msg_ok"];

    private static readonly string?[] Timestamps = [null, "", "abc", "-1", "0", "99999999999999999999", "1e10", "1700000000.5"];

    private static readonly string?[] Signatures =
        [null, "", "v1,", "v1,!!!", "v2,AAAA", "v1," + new string('A', 20_000), "v1,AAAA v1,BBBB v1,", "sha256=zz"];

    private static readonly (string? ContentType, string Body)[] Bodies =
    [
        ("application/json", ""),
        ("application/json", "null"),
        ("application/json", "[1,2]"),
        ("application/json", "{"),
        ("application/json", "{\"who\":\"\\u0000\"}"),
        ("application/json", "{\"who\":\"\\udfff\"}"),
        ("application/json", new string('[', 5000) + new string(']', 5000)),
        ("application/json", "{\"who\":" + new string('9', 5000) + "}"),
        ("text/plain", Body),
        ("application/xml", "<who>Ada</who>"),
        ("multipart/form-data; boundary=x", "--x\r\n\r\nAda\r\n--x--"),
        (null, Body),
    ];

    [TestCase(WebhookScheme.Standard)]
    [TestCase(WebhookScheme.GitHub)]
    public async Task Should_answer_every_variant_below_500_and_accept_an_ordinary_delivery_after(WebhookScheme scheme)
    {
        // A rate the variants cannot exhaust, so that each reaches the ingress's checks instead of the limiter.
        await using var app = new HooksApp(new Dictionary<string, string?> { ["Webhooks:Burst"] = "10000", ["Webhooks:PermitsPerSecond"] = "10000" });
        await app.MigratedAsync();
        var webhook = await app.CreateWebhookAsync(scheme);
        using var client = app.CreateClient();
        var now = Signing.Now().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var variants = new List<HttpRequestMessage>();
        variants.AddRange(Ids.Select(id => Request(webhook.Id, ("webhook-id", id), ("webhook-timestamp", now), ("webhook-signature", "v1,AAAA"), ("X-GitHub-Delivery", id))));
        variants.AddRange(Timestamps.Select(ts => Request(webhook.Id, ("webhook-id", "msg_1"), ("webhook-timestamp", ts), ("webhook-signature", "v1,AAAA"))));
        variants.AddRange(Signatures.Select(signature => Request(webhook.Id, ("webhook-id", "msg_1"), ("webhook-timestamp", now), ("webhook-signature", signature),
            ("X-GitHub-Delivery", "d1"), ("X-Hub-Signature-256", signature))));
        variants.AddRange(Bodies.Select(body => RequestWith(webhook.Id, body, ("webhook-id", "msg_2"), ("webhook-timestamp", now), ("webhook-signature", "v1,AAAA"))));
        variants.AddRange(Bodies.Select(body => Signed(webhook, body)));
        variants.AddRange(new[] { "?wait=-1", "?wait=31", "?wait=abc", "?wait=99999999999999" }.Select(query => Signing.Delivery(webhook.Id, webhook.Secret, Body, query: query)));

        var failures = new List<string>();
        var limited = 0;
        foreach (var variant in variants)
        {
            try
            {
                using var response = await client.SendAsync(variant);
                limited += response.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{variant.RequestUri} {string.Join("; ", variant.Headers.Select(h => h.Key))} → {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (HttpRequestException exception)
            {
                failures.Add($"{variant.RequestUri} → connection failed: {exception.Message}");
            }
            finally
            {
                variant.Dispose();
            }
        }

        Assert.That(failures, Is.Empty);
        Assert.That(limited, Is.Zero, "every variant reached the ingress's checks");
        using var ordinary = await client.SendAsync(scheme == WebhookScheme.GitHub
            ? GitHub(webhook, Body)
            : Signing.Delivery(webhook.Id, webhook.Secret, Body));
        Assert.That(ordinary.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    /// <summary>A body of the variant, correctly signed for the webhook's scheme: only the body is wrong.</summary>
    private static HttpRequestMessage Signed(Webhook webhook, (string? ContentType, string Body) body)
    {
        var request = webhook.Scheme == WebhookScheme.GitHub ? GitHub(webhook, body.Body) : Signing.Delivery(webhook.Id, webhook.Secret, body.Body);
        request.Content = Content(body);
        return request;
    }

    private static HttpRequestMessage GitHub(Webhook webhook, string body) =>
        RequestWith(webhook.Id, ("application/json", body), ("X-GitHub-Delivery", Guid.NewGuid().ToString()),
            ("X-Hub-Signature-256", Signing.GitHub(webhook.Secret, body)));

    private static HttpRequestMessage Request(Guid webhookId, params (string Name, string? Value)[] headers) =>
        RequestWith(webhookId, ("application/json", Body), headers);

    private static HttpRequestMessage RequestWith(Guid webhookId, (string? ContentType, string Body) body, params (string Name, string? Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{webhookId}") { Content = Content(body) };
        foreach (var (name, value) in headers.Where(header => header.Value is not null))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static ByteArrayContent Content((string? ContentType, string Body) body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.Body));
        if (body.ContentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", body.ContentType);
        }

        return content;
    }
}
