using System.Text.Json.Serialization;

namespace GraphExec.Web.Api;

/// <summary>How a webhook's deliveries are signed, as the Api writes it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WebhookScheme>))]
public enum WebhookScheme
{
    /// <summary>Standard Webhooks: <c>webhook-id</c>, <c>webhook-timestamp</c> and <c>webhook-signature</c> headers.</summary>
    [JsonStringEnumMemberName("standard")]
    Standard,

    /// <summary>GitHub: <c>X-Hub-Signature-256</c> over the body.</summary>
    [JsonStringEnumMemberName("github")]
    GitHub,
}
