using System.Text.Json.Serialization;

namespace GraphExec.Core.Data;

/// <summary>How a webhook's deliveries are signed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WebhookScheme>))]
public enum WebhookScheme : short
{
    /// <summary>Standard Webhooks: <c>webhook-id</c>, <c>webhook-timestamp</c> and <c>webhook-signature: v1,…</c>.</summary>
    [JsonStringEnumMemberName("standard")]
    Standard = 0,

    /// <summary>GitHub: <c>X-Hub-Signature-256: sha256=…</c> over the body, <c>X-GitHub-Delivery</c> as the id.</summary>
    [JsonStringEnumMemberName("github")]
    GitHub = 1,
}
