using System.Text.Json;

namespace GraphExec.Contracts;

/// <summary>
/// One event of a run as the Live hub sends it (camelCase JSON). <see cref="Sequence"/> starts at 1 and has no gaps within
/// one run's stream; <see cref="Status"/> is the node's status for node events and the execution's otherwise.
/// </summary>
/// <param name="Outputs">A node's outputs by port, or the execution's by name; absent unless it succeeded.</param>
/// <param name="Error">An object with <c>code</c>, <c>message</c> and maybe <c>nodeId</c>.</param>
public sealed record ExecutionEvent(
    Guid ExecutionId,
    long Sequence,
    ExecutionEventType Type,
    string? NodeId,
    string Status,
    JsonElement? Outputs,
    JsonElement? Error,
    DateTimeOffset Timestamp);
