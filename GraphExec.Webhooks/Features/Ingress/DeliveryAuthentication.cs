using System.Security.Cryptography;
using System.Text;
using GraphExec.Core.Data;
using GraphExec.Hosting.Secrets;

namespace GraphExec.Webhooks.Features.Ingress;

/// <summary>A delivery whose signature holds: its webhook, the sender's delivery id, and the body it signed.</summary>
public sealed record AuthenticDelivery(WebhookDefinition Webhook, string Id, string Body, DeliveryRefusals Refusals)
{
    /// <summary>
    /// What makes this delivery the same as an earlier one, so that it answers the earlier execution instead of starting
    /// another. Standard Webhooks signs the delivery id with the body and a timestamp, so the id serves. GitHub signs the
    /// body alone: anyone who saw one delivery could send it again under a new <c>X-GitHub-Delivery</c>, so a GitHub
    /// delivery is known by its body's SHA-256 (GitHub's own redelivery repeats both, and its payloads of distinct
    /// events differ).
    /// </summary>
    public string ReplayKey => Webhook.Scheme == WebhookScheme.GitHub
        ? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Body)))
        : Id;
}

/// <summary>
/// The first step of receiving a delivery: its webhook exists and is enabled, its body is JSON within the size limit and
/// in UTF-8, and it is signed with the webhook's secret (see <see cref="DeliverySignature"/>) under a usable delivery id.
/// </summary>
public static class DeliveryAuthentication
{
    /// <summary>The trigger ref is the webhook id, a colon and the delivery id, in a column of 300 characters.</summary>
    private const int MaxDeliveryIdLength = 256;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<Checked<AuthenticDelivery>> AuthenticateAsync(
        Guid webhookId, int? wait, HttpRequest request, IngressServices services, CancellationToken cancellationToken)
    {
        // A webhook the caches hold costs no query; any other id does, so an address that keeps guessing is stopped first.
        var address = request.HttpContext.Connection.RemoteIpAddress;
        var webhook = await services.Webhooks.GetCachedAsync(webhookId, cancellationToken);
        if (webhook is null && !services.UnknownWebhooks.MayLookUp(address))
        {
            return DeliveryRefusals.TooManyUnknown(request.HttpContext.Response);
        }

        webhook ??= await services.Webhooks.GetAsync(webhookId, cancellationToken);
        if (webhook is null)
        {
            services.UnknownWebhooks.Missed(address);
            return DeliveryRefusals.UnknownWebhook();
        }

        var refusals = new DeliveryRefusals(webhook, services.Recorder, services.Loggers.CreateLogger(typeof(IngressApi)));
        if (!webhook.Enabled)
        {
            return refusals.AsUnknown(deliveryId: null, "The webhook is disabled.");
        }

        // Before the body is read: a delivery that asks for a wait the ingress will not give costs no read.
        if (wait is < 0 or > IngressApi.MaxWaitSeconds)
        {
            return refusals.Refuse(
                StatusCodes.Status400BadRequest, "The wait is out of range.", $"wait must be between 0 and {IngressApi.MaxWaitSeconds} seconds.");
        }

        var body = await ReadBodyAsync(request, services.Options.Value.MaxBodyBytes, refusals, cancellationToken);
        if (body.IsRefused(out var refusal, out var text))
        {
            return refusal;
        }

        return Verify(webhook, request.Headers, text, services.Time.GetUtcNow(), services.Protection, refusals);
    }

    /// <summary>The body as text, which is what the sender signed: JSON by its content type, within the limit, in UTF-8.</summary>
    private static async Task<Checked<string>> ReadBodyAsync(
        HttpRequest request, long maxBytes, DeliveryRefusals refusals, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return refusals.Refuse(StatusCodes.Status415UnsupportedMediaType, DeliveryRefusals.NotJsonTitle, "Send Content-Type: application/json.");
        }

        var bytes = await RequestBody.ReadAsync(request, maxBytes, cancellationToken);
        if (bytes is null)
        {
            return refusals.Refuse(StatusCodes.Status413PayloadTooLarge, "The body is too large.", $"A delivery may have at most {maxBytes} bytes.");
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return refusals.Refuse(StatusCodes.Status415UnsupportedMediaType, DeliveryRefusals.NotJsonTitle, "The body is not valid UTF-8.");
        }
    }

    private static Checked<AuthenticDelivery> Verify(
        WebhookDefinition webhook, IHeaderDictionary headers, string body, DateTimeOffset now, SecretProtection protection,
        DeliveryRefusals refusals)
    {
        var signature = DeliverySignature.Verify(webhook, headers, body, now, protection);
        if (!signature.IsValid)
        {
            return refusals.Refuse(StatusCodes.Status401Unauthorized, "The signature is not valid.", signature.Failure!, signature.DeliveryId);
        }

        var deliveryId = signature.DeliveryId!;
        if (deliveryId.Length > MaxDeliveryIdLength)
        {
            return refusals.Refuse(
                StatusCodes.Status400BadRequest, "The delivery id is too long.", $"It may have at most {MaxDeliveryIdLength} characters.");
        }

        return new AuthenticDelivery(webhook, deliveryId, body, refusals);
    }
}
