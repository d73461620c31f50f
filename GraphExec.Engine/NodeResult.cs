using System.Text.Json.Nodes;

namespace GraphExec.Engine;

/// <summary>What the API shows for one node of an execution; also what a resumed run is given back.</summary>
public sealed record NodeResult
{
    public required string NodeId { get; init; }

    public required NodeStatus Status { get; init; }

    /// <summary>Values received, by input port; inputs without a value are absent.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Inputs { get; init; } = EmptyPorts;

    /// <summary>Values fired, by output port; ports not fired (a branch not taken) are absent.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Outputs { get; init; } = EmptyPorts;

    public ExecutionError? Error { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    private static IReadOnlyDictionary<string, JsonNode?> EmptyPorts { get; } = new Dictionary<string, JsonNode?>();
}
