using GraphExec.Engine;

namespace GraphExec.Core.Data;

/// <summary>
/// A URL of the user's that is told, with a delivery signed per Standard Webhooks, when a run of <see cref="GraphId"/>
/// ends with one of <see cref="Events"/>.
/// </summary>
public sealed class NotificationEndpoint
{
    public Guid OwnerId { get; set; }

    public Guid Id { get; set; }

    public Guid GraphId { get; set; }

    public required string Url { get; set; }

    /// <summary>The final statuses that are delivered (Failed, TimedOut, Cancelled).</summary>
    public required ExecutionStatus[] Events { get; set; }

    /// <summary>The <c>whsec_</c> signing secret, encrypted. Never logged; shown to the owner only on creation.</summary>
    public required string Secret { get; set; }

    public bool Enabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
