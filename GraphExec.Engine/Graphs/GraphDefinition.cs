namespace GraphExec.Engine.Graphs;

/// <summary>A graph as users write, import and export it: nodes running blocks, and edges between their ports.</summary>
public sealed record GraphDefinition
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    public required IReadOnlyList<NodeDefinition> Nodes { get; init; }

    public required IReadOnlyList<EdgeDefinition> Edges { get; init; }

    /// <summary>What the graph asks of the platform around its runs; null (left out of the JSON) when nothing.</summary>
    public GraphSettings? Settings { get; init; }
}
