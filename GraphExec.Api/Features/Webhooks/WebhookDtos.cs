using GraphExec.Core.Data;

namespace GraphExec.Api.Features.Webhooks;

/// <summary>A new webhook: enabled unless said otherwise, signed per Standard Webhooks unless <c>github</c>.</summary>
public sealed record CreateWebhookRequest(bool? Enabled, WebhookScheme? Scheme);

public sealed record UpdateWebhookRequest(bool Enabled);

/// <param name="Secret">In full only in the answer to creation and rotation; null otherwise.</param>
/// <param name="PreviousSecretExpiresAt">Until when the secret before the last rotation is still accepted.</param>
public sealed record WebhookDto(
    Guid Id, Guid GraphId, string Url, string? Secret, bool Enabled, WebhookScheme Scheme, DateTimeOffset CreatedAt,
    DateTimeOffset? PreviousSecretExpiresAt);

public sealed record WebhookDeliveryDto(
    Guid Id, DateTimeOffset ReceivedAt, int StatusCode, string? DeliveryId, Guid? ExecutionId, string? Rejection);
