namespace GraphExec.Core.Data;

/// <summary>
/// One request to a webhook's URL, accepted or not, for the owner's deliveries list. The payload is never stored.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid OwnerId { get; set; }

    public Guid WebhookId { get; set; }

    /// <summary>UUIDv7: the deliveries list pages by it, newest first.</summary>
    public Guid Id { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The HTTP status the ingress answered.</summary>
    public int StatusCode { get; set; }

    /// <summary>The sender's delivery id (<c>webhook-id</c> or <c>X-GitHub-Delivery</c>), when it sent one.</summary>
    public string? DeliveryId { get; set; }

    /// <summary>The execution the delivery started or found, when accepted.</summary>
    public Guid? ExecutionId { get; set; }

    /// <summary>Why it was refused, when it was.</summary>
    public string? Rejection { get; set; }
}
