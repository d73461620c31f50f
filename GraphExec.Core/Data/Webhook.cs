namespace GraphExec.Core.Data;

/// <summary>
/// A public URL that starts the newest version of a graph when a third party posts a delivery signed with
/// <see cref="Secret"/>. The ingress finds it by <see cref="Id"/> alone (the URL names no owner).
/// </summary>
public sealed class Webhook
{
    public Guid OwnerId { get; set; }

    public Guid Id { get; set; }

    public Guid GraphId { get; set; }

    public bool Enabled { get; set; }

    /// <summary>The current <c>whsec_</c> secret. Never logged; shown to the owner only on creation and rotation.</summary>
    public required string Secret { get; set; }

    /// <summary>The secret before the last rotation, still accepted until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecret { get; set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    public WebhookScheme Scheme { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
