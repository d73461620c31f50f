using System.Security.Cryptography;

namespace GraphExec.Hosting;

/// <summary>
/// The Standard Webhooks scheme as GraphExec uses it both ways: the headers of a signed delivery (checked by the ingress,
/// sent by notifications) and the secrets it makes for webhooks and notification endpoints.
/// </summary>
public static class WebhookSigning
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The prefix of a Standard Webhooks secret, before the base64 key.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>32 random bytes, as Standard Webhooks suggests for HMAC-SHA256 keys.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
