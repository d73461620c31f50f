using System.Text.Json.Nodes;

namespace GraphExec.Engine;

/// <summary>
/// One step of a run as the live view shows it. <see cref="Sequence"/> starts at 1 and has no gaps;
/// <see cref="Status"/> is the node's status for node events and the execution's otherwise.
/// </summary>
public sealed record ExecutionEvent
{
    public required Guid ExecutionId { get; init; }

    public required long Sequence { get; init; }

    public required ExecutionEventType Type { get; init; }

    public string? NodeId { get; init; }

    public required string Status { get; init; }

    public IReadOnlyDictionary<string, JsonNode?>? Outputs { get; init; }

    public ExecutionError? Error { get; init; }

    public required DateTimeOffset Timestamp { get; init; }
}
