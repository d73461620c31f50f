using System.Text.Json;
using GraphExec.Web.Api;

namespace GraphExec.Web.Graphs;

/// <summary>A node as drawn: its ports are the block's declared ones plus any an edge names (a template's variables).</summary>
public sealed record SketchNode(int Index, string Id, string Block, JsonElement? Config, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);

public sealed record SketchEdge(int Index, string FromNode, string FromPort, string ToNode, string ToPort);

/// <summary>
/// What a picture of a graph needs, read leniently from JSON that may be half written or invalid: whatever can be
/// drawn is drawn, so that the editor can show errors on the nodes they belong to.
/// </summary>
public sealed record GraphSketch(IReadOnlyList<SketchNode> Nodes, IReadOnlyList<SketchEdge> Edges)
{
    public static GraphSketch? TryParse(string json, IReadOnlyList<BlockDescriptor>? blocks)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return From(document.RootElement, blocks);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static GraphSketch From(JsonElement graph, IReadOnlyList<BlockDescriptor>? blocks)
    {
        var rawNodes = new List<(int Index, string Id, string Block, JsonElement? Config)>();
        if (graph.ValueKind == JsonValueKind.Object && graph.TryGetProperty("nodes", out var nodes) && nodes.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var node in nodes.EnumerateArray())
            {
                var id = Text(node, "id") ?? $"#{index}";
                var config = node.ValueKind == JsonValueKind.Object && node.TryGetProperty("config", out var c) ? c.Clone() : (JsonElement?)null;
                rawNodes.Add((index, id, Text(node, "block") ?? "?", config));
                index++;
            }
        }

        var edges = new List<SketchEdge>();
        if (graph.ValueKind == JsonValueKind.Object && graph.TryGetProperty("edges", out var rawEdges) && rawEdges.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var edge in rawEdges.EnumerateArray())
            {
                if (Endpoint(Text(edge, "from")) is (var fromNode, var fromPort) && Endpoint(Text(edge, "to")) is (var toNode, var toPort))
                {
                    edges.Add(new SketchEdge(index, fromNode, fromPort, toNode, toPort));
                }

                index++;
            }
        }

        var catalogue = blocks?.ToDictionary(b => b.Name) ?? [];
        var sketchNodes = rawNodes.Select(node =>
        {
            catalogue.TryGetValue(node.Block, out var block);
            var inputs = Ports(block?.Inputs, edges.Where(e => e.ToNode == node.Id).Select(e => e.ToPort));
            var outputs = Ports(block?.Outputs, edges.Where(e => e.FromNode == node.Id).Select(e => e.FromPort));
            return new SketchNode(node.Index, node.Id, node.Block, node.Config, inputs, outputs);
        }).ToList();
        return new GraphSketch(sketchNodes, edges);
    }

    /// <summary>The graph's inputs: its <c>input</c> nodes' configs.</summary>
    public IEnumerable<SketchNode> InputNodes => Nodes.Where(n => n.Block == "input");

    private static List<string> Ports(IReadOnlyList<PortDescriptor>? declared, IEnumerable<string> used)
    {
        var ports = declared?.Select(p => p.Name).ToList() ?? [];
        foreach (var port in used)
        {
            if (!ports.Contains(port))
            {
                ports.Add(port);
            }
        }

        return ports;
    }

    /// <summary>
    /// Splits <c>node.port</c> at its one dot. Names are not checked: the Api judges them, and an edge with a bad name is
    /// still worth drawing so that its error has a place.
    /// </summary>
    private static (string Node, string Port)? Endpoint(string? address) =>
        address?.Split('.') is [{ Length: > 0 } node, { Length: > 0 } port] ? (node, port) : null;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
