using System.Text.Json.Nodes;
using GraphExec.Core.Data;

namespace GraphExec.Core.Executions;

/// <summary>What a trigger asks for: run this graph version with these inputs.</summary>
/// <param name="TriggerRef">
/// Identifies the trigger event (webhook and delivery id, schedule and fire time); the same event again finds the
/// execution it started instead of starting another. Null for manual runs.
/// </param>
public sealed record StartExecution(
    Guid OwnerId,
    Guid GraphId,
    int GraphVersion,
    TriggerKind Trigger,
    string? TriggerRef,
    JsonObject Inputs,
    bool Live);

/// <summary>The execution a trigger started, or found already started for the same event.</summary>
public sealed record StartedExecution(Guid ExecutionId, bool Created);
