namespace GraphExec.Engine.Graphs;

/// <summary>An edge from an output port to an input port, each written <c>nodeId.port</c>.</summary>
public sealed record EdgeDefinition
{
    public required string From { get; init; }

    public required string To { get; init; }
}
