using System.Text.Json;
using GraphExec.Engine.Blocks.Library;

namespace GraphExec.Engine.Graphs;

/// <summary>The saved graph versions a graph runs: those its subgraph and foreach nodes name.</summary>
public static class GraphCalls
{
    /// <summary>Each version once; a node whose config does not name one (the graph is not valid) is left out.</summary>
    public static IReadOnlyList<GraphReference> Of(GraphDefinition graph) =>
    [
        .. graph.Nodes
            .Where(node => node.Block is GraphCallSchema.SubgraphBlock or GraphCallSchema.ForEachBlock)
            .Select(node => Named(node.Config))
            .OfType<GraphReference>()
            .Distinct(),
    ];

    private static GraphReference? Named(JsonElement? config) =>
        config is { ValueKind: JsonValueKind.Object } json
        && json.TryGetProperty("graph", out var graph) && graph.ValueKind == JsonValueKind.String && graph.TryGetGuid(out var graphId)
        && json.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out var number)
            ? new GraphReference(graphId, number)
            : null;
}
