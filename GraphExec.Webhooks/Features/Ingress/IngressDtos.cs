using System.Text.Json;
using GraphExec.Engine;

namespace GraphExec.Webhooks.Features.Ingress;

public sealed record WebhookAccepted(Guid ExecutionId);

/// <summary>The answer of a delivery with <c>?wait=</c> whose execution finished within the wait.</summary>
public sealed record WebhookCompleted(Guid ExecutionId, ExecutionStatus Status, JsonElement? Outputs, JsonElement? Error);
