using System.Text.Json;

namespace GraphExec.Web.Api;

// The Api's answers as the UI reads them (its JSON contract, see the Api's OpenAPI document).

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <param name="RefreshToken">Exchanged, once, for the next pair until <paramref name="RefreshExpiresAt"/>, when the session ends.</param>
public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt, string RefreshToken, DateTimeOffset RefreshExpiresAt);

public sealed record GraphSummary(Guid Id, string Name, string? Description, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record GraphDetails(
    Guid Id, string Name, string? Description, int Version, JsonElement Definition, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record GraphVersionSummary(int Version, DateTimeOffset CreatedAt);

public sealed record GraphVersion(int Version, JsonElement Definition, DateTimeOffset CreatedAt);

public sealed record RunAccepted(Guid ExecutionId, ExecutionStatus Status);

public sealed record ExecutionSummary(
    Guid Id, Guid GraphId, int GraphVersion, TriggerKind Trigger, ExecutionStatus Status, JsonElement? Error,
    DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);

/// <param name="RetryOf">The execution this one retries from its failed node, if it is a retry.</param>
public sealed record ExecutionDetails(
    Guid Id, Guid GraphId, int GraphVersion, TriggerKind Trigger, ExecutionStatus Status, bool Live,
    JsonElement Inputs, JsonElement? Outputs, JsonElement? Error, int Attempt,
    DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, IReadOnlyList<NodeExecution> Nodes,
    string? NodesNextCursor, Guid? RetryOf = null);

/// <param name="ReusedFrom">In a retry: the execution whose result of this node was reused instead of running it.</param>
public sealed record NodeExecution(
    string NodeId, NodeStatus Status, JsonElement? Inputs, JsonElement? Outputs, JsonElement? Error, int Attempts,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, Guid? ReusedFrom = null);

public sealed record Webhook(
    Guid Id, Guid GraphId, string Url, string? Secret, bool Enabled, WebhookScheme Scheme, DateTimeOffset CreatedAt,
    DateTimeOffset? PreviousSecretExpiresAt);

/// <param name="Secret">The <c>whsec_</c> signing secret, only in the answer to creation.</param>
public sealed record NotificationEndpoint(
    Guid Id, Guid GraphId, string Url, IReadOnlyList<string> Events, string? Secret, bool Enabled, DateTimeOffset CreatedAt);

public sealed record WebhookDelivery(Guid Id, DateTimeOffset ReceivedAt, int StatusCode, string? DeliveryId, Guid? ExecutionId, string? Rejection);

public sealed record Schedule(
    Guid Id, Guid GraphId, string Cron, string TimeZone, JsonElement Inputs, bool Enabled, string Overlap, string Misfire,
    IReadOnlyList<DateTimeOffset> NextFireTimes, DateTimeOffset? LastFireAt, Guid? LastExecutionId,
    long FiredCount, long SkippedCount, long MissedCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A named secret as the Api shows it: never its value. <see cref="Reference"/> is what a block config writes.</summary>
public sealed record Credential(
    Guid Id, string Name, CredentialKind Kind, string Reference, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? LastUsedAt);

/// <summary>The next fire times of a cron expression in a time zone, before any schedule is saved.</summary>
public sealed record SchedulePreview(IReadOnlyList<DateTimeOffset> NextFireTimes);

/// <summary>What the UI sends to create a schedule.</summary>
public sealed record ScheduleRequest(string Cron, string TimeZone, JsonElement Inputs, bool Enabled, string Overlap, string Misfire);
