using GraphExec.Engine;

namespace GraphExec.Core.Executions;

/// <summary>A <c>node_executions</c> row to write; JSON columns as text, null where not known yet.</summary>
public sealed record NodeRow(
    string NodeId,
    NodeStatus Status,
    string? Inputs,
    string? Outputs,
    string? Error,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);
