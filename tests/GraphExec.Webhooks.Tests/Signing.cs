using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GraphExec.Webhooks.Tests;

/// <summary>Signs deliveries the way a third party does, independently of the ingress's code.</summary>
public static class Signing
{
    public static string Standard(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}"));
        return "v1," + Convert.ToBase64String(signed);
    }

    public static string GitHub(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>A delivery signed per Standard Webhooks; <paramref name="signature"/> replaces the computed one.</summary>
    public static HttpRequestMessage Delivery(
        Guid webhookId, string secret, string body, string? id = null, long? timestamp = null, string? signature = null, string query = "")
    {
        id ??= $"msg_{Guid.NewGuid():N}";
        var ts = timestamp ?? Now();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{webhookId}{query}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", ts.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signature ?? Standard(secret, id, ts, body));
        return request;
    }
}
