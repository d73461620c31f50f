using System.Text.Json;

namespace GraphExec.Engine.Graphs;

/// <summary>
/// One node of a graph: the block it runs, that block's config, and optional engine settings.
/// Settings are nullable so that a graph round-trips exactly as written.
/// </summary>
public sealed record NodeDefinition
{
    public required string Id { get; init; }

    public required string Block { get; init; }

    public JsonElement? Config { get; init; }

    public RetryPolicy? Retry { get; init; }

    /// <summary>Longest time one attempt may take, in milliseconds.</summary>
    public int? TimeoutMs { get; init; }

    public OnError? OnError { get; init; }
}
