namespace GraphExec.Api.Features.Notifications;

/// <summary>A new notification endpoint: the URL to post to, and the final statuses to tell of (default failed and timedOut).</summary>
public sealed record CreateNotificationRequest(string? Url, IReadOnlyList<string>? Events, bool? Enabled);

/// <param name="Secret">The <c>whsec_</c> signing secret, in full only in the answer to creation; null otherwise.</param>
public sealed record NotificationDto(
    Guid Id, Guid GraphId, string Url, IReadOnlyList<string> Events, string? Secret, bool Enabled, DateTimeOffset CreatedAt);
