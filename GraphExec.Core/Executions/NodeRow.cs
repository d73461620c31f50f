using GraphExec.Engine;

namespace GraphExec.Core.Executions;

/// <summary>
/// A <c>node_executions</c> row to write; JSON columns as text, null where not known yet. <paramref name="HasBlobs"/> when
/// they reference a value in blob storage: the write then marks the execution as having blobs.
/// </summary>
public sealed record NodeRow(
    string NodeId,
    NodeStatus Status,
    string? Inputs,
    string? Outputs,
    string? Error,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    bool HasBlobs = false);
