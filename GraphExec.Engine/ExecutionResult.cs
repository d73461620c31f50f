using System.Text.Json.Nodes;

namespace GraphExec.Engine;

/// <summary>The end of a run: final status, the graph's outputs (by output node name), and every node.</summary>
public sealed record ExecutionResult
{
    public required Guid ExecutionId { get; init; }

    public required ExecutionStatus Status { get; init; }

    public required IReadOnlyDictionary<string, JsonNode?> Outputs { get; init; }

    public ExecutionError? Error { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>One entry per node of the graph, in the graph's order.</summary>
    public required IReadOnlyList<NodeResult> Nodes { get; init; }

    /// <summary>The sequence number of the last event sent, so that a resumed run can go on from it.</summary>
    public required long LastSequence { get; init; }
}
