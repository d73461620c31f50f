using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Engine;

namespace GraphExec.Api.Features.Executions;

/// <summary>A manual run: the graph's inputs by name, and whether to stream every node's events to the live view.</summary>
public sealed record RunRequest(JsonObject? Inputs, bool Live = false);

public sealed record RunAccepted(Guid ExecutionId, ExecutionStatus Status);

/// <summary>
/// A run again of an execution with its inputs: on the version it ran (<c>same</c>, the default) or the graph's newest
/// (<c>newest</c>), streamed to the live view or not.
/// </summary>
public sealed record RerunRequest(string? Version = null, bool Live = false)
{
    public const string Same = "same";
    public const string Newest = "newest";
}

/// <summary>A retry from the failed node, streamed to the live view or not (by default as the retried execution was).</summary>
public sealed record RetryRequest(bool? Live = null);

/// <summary>After a cancel: Cancelled at once, or still Running while its worker stops it.</summary>
public sealed record CancelResponse(Guid ExecutionId, ExecutionStatus Status);

/// <param name="Pinned">Kept past the owner's retention until unpinned.</param>
/// <param name="RetryOf">The execution this one retries from its failed node, if it is a retry.</param>
public sealed record ExecutionSummaryDto(
    Guid Id, Guid GraphId, int GraphVersion, TriggerKind Trigger, ExecutionStatus Status, bool Pinned, Guid? RetryOf, JsonElement? Error,
    DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);

/// <param name="Pinned">Kept past the owner's retention until unpinned.</param>
/// <param name="RetryOf">The execution this one retries from its failed node, if it is a retry.</param>
/// <param name="Nodes">The first page of node results, by node id.</param>
/// <param name="NodesNextCursor">
/// The cursor of the next page (<c>GET /api/executions/{id}/nodes?cursor=</c>), null when <paramref name="Nodes"/> holds
/// them all.
/// </param>
public sealed record ExecutionDto(
    Guid Id, Guid GraphId, int GraphVersion, TriggerKind Trigger, ExecutionStatus Status, bool Pinned, bool Live, Guid? RetryOf,
    JsonElement Inputs, JsonElement? Outputs, JsonElement? Error, int Attempt,
    DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, IReadOnlyList<NodeExecutionDto> Nodes,
    string? NodesNextCursor);

/// <param name="ReusedFrom">
/// In a retry: the execution whose result of this node was reused (the one that ran it), so it did not run here.
/// </param>
public sealed record NodeExecutionDto(
    string NodeId, NodeStatus Status, JsonElement? Inputs, JsonElement? Outputs, JsonElement? Error, int Attempts,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, Guid? ReusedFrom);
