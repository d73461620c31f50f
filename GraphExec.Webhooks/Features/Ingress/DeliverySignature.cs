using System.Security.Cryptography;
using System.Text;
using GraphExec.Core.Data;
using GraphExec.Hosting;
using GraphExec.Hosting.Secrets;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace GraphExec.Webhooks.Features.Ingress;

/// <summary>The outcome of checking a delivery's signature: its id when valid, else why not (never a secret).</summary>
public readonly record struct SignatureCheck(string? DeliveryId, string? Failure)
{
    public bool IsValid => Failure is null;
}

/// <summary>
/// Checks a delivery against the webhook's current secret and, during a rotation's grace period, its previous one.
/// Standard Webhooks through the <c>StandardWebhooks</c> library (±5 minutes of timestamp tolerance, every <c>v1,</c>
/// entry, constant-time comparison); GitHub's <c>X-Hub-Signature-256</c> with <see cref="CryptographicOperations.FixedTimeEquals"/>.
/// </summary>
public static class DeliverySignature
{
    public const string IdHeader = WebhookSigning.IdHeader;
    public const string TimestampHeader = WebhookSigning.TimestampHeader;
    public const string SignatureHeader = WebhookSigning.SignatureHeader;
    public const string GitHubSignatureHeader = "X-Hub-Signature-256";
    public const string GitHubDeliveryHeader = "X-GitHub-Delivery";

    private const string GitHubPrefix = "sha256=";

    /// <param name="protection">Decrypts the secrets, which are stored encrypted; they live in plain text only for this check.</param>
    public static SignatureCheck Verify(WebhookDefinition webhook, IHeaderDictionary headers, string body, DateTimeOffset now, SecretProtection protection)
    {
        var secrets = webhook.PreviousSecret is { } previous && webhook.PreviousSecretExpiresAt > now
            ? new[] { webhook.Secret, previous }
            : [webhook.Secret];
        secrets = [.. secrets.Select(secret => protection.UnprotectWebhookSecret(webhook.Id, secret))];
        return webhook.Scheme == WebhookScheme.GitHub ? VerifyGitHub(secrets, headers, body) : VerifyStandard(secrets, headers, body);
    }

    private static SignatureCheck VerifyStandard(string[] secrets, IHeaderDictionary headers, string body)
    {
        var deliveryId = headers[IdHeader].ToString();
        var failure = "The signature matches no secret of this webhook.";
        foreach (var secret in secrets)
        {
            try
            {
                new StandardWebhook(secret).Verify(body, headers);
                return new SignatureCheck(deliveryId, null);
            }
            catch (WebhookVerificationException exception)
            {
                failure = exception.Message;
            }
            catch (ArgumentException)
            {
                // The library throws this for an empty signature after "v1,".
                failure = "The signature header has an empty signature.";
            }
        }

        return new SignatureCheck(deliveryId.Length > 0 ? deliveryId : null, failure);
    }

    private static SignatureCheck VerifyGitHub(string[] secrets, IHeaderDictionary headers, string body)
    {
        var deliveryId = headers[GitHubDeliveryHeader].ToString();
        var header = headers[GitHubSignatureHeader].ToString();
        if (deliveryId.Length == 0 || !header.StartsWith(GitHubPrefix, StringComparison.Ordinal))
        {
            return new SignatureCheck(null, $"Missing required headers; {GitHubDeliveryHeader} and {GitHubSignatureHeader} (sha256=…) must be supplied.");
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(GitHubPrefix.Length));
        }
        catch (FormatException)
        {
            return new SignatureCheck(deliveryId, $"{GitHubSignatureHeader} is not sha256= and a hex digest.");
        }

        var payload = Encoding.UTF8.GetBytes(body);
        foreach (var secret in secrets)
        {
            // GitHub keys the HMAC with the secret's text as the user pasted it.
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload);
            if (CryptographicOperations.FixedTimeEquals(expected, given))
            {
                return new SignatureCheck(deliveryId, null);
            }
        }

        return new SignatureCheck(deliveryId, "The signature matches no secret of this webhook.");
    }
}
