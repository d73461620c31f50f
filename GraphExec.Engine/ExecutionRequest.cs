using System.Text.Json.Nodes;
using GraphExec.Engine.Secrets;

namespace GraphExec.Engine;

/// <summary>One run of a plan: its inputs, and what it plugs into.</summary>
public sealed record ExecutionRequest
{
    public required Guid ExecutionId { get; init; }

    /// <summary>Graph inputs by the names of the graph's input nodes.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Inputs { get; init; } = new Dictionary<string, JsonNode?>();

    /// <summary>
    /// For a resumed run: the results of nodes that already finished. Succeeded and skipped nodes, and
    /// failed ones whose error went on through <c>onError: continue</c>, keep their outputs and are not
    /// run again; all others run.
    /// </summary>
    public IReadOnlyList<NodeResult> CompletedNodes { get; init; } = [];

    /// <summary>
    /// Whether to tell the outcome of each of <see cref="CompletedNodes"/> (NodeCompleted, NodeSkipped or NodeFailed, in
    /// the graph's order, right after ExecutionStarted): true for a retry's first run, whose completed nodes were taken from
    /// the execution it retries and never announced to its own watchers; false for a takeover, whose watchers saw them.
    /// </summary>
    public bool AnnounceCompletedNodes { get; init; }

    /// <summary>For a resumed run: the last sequence number already sent; events go on from the next.</summary>
    public long LastSequence { get; init; }

    public IExecutionObserver? Observer { get; init; }

    public IGraphResolver? Resolver { get; init; }

    /// <summary>Where the secrets that block configs name are read from; without it a node that names one fails.</summary>
    public ISecretSource? Secrets { get; init; }

    /// <summary>This execution's budget where it differs from the engine's options; its child graphs share it.</summary>
    public ExecutionLimits? Limits { get; init; }
}
