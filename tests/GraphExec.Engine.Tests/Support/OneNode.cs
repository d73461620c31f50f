using System.Text.Json.Nodes;
using GraphExec.Engine;
using GraphExec.Engine.Blocks;

namespace GraphExec.Engine.Tests.Support;

/// <summary>Runs one node of a block, its inputs fed by constants, and returns its result.</summary>
public static class OneNode
{
    public static async Task<NodeResult> RunAsync(
        string block, string config, string? inputs = null, GraphEngine? engine = null, IGraphResolver? resolver = null, BlockCatalog? catalog = null)
    {
        var nodes = new List<string> { $$"""{ "id": "node", "block": "{{block}}", "config": {{config}} }""" };
        var edges = new List<string>();
        foreach (var (port, value) in inputs is null ? [] : JsonNode.Parse(inputs)!.AsObject())
        {
            nodes.Add($$"""{ "id": "in-{{port}}", "block": "constant", "config": { "value": {{value?.ToJsonString() ?? "null"}} } }""");
            edges.Add($$"""{ "from": "in-{{port}}.value", "to": "node.{{port}}" }""");
        }

        var graph = $$"""{ "name": "One node", "nodes": [{{string.Join(", ", nodes)}}], "edges": [{{string.Join(", ", edges)}}] }""";
        var result = await TestGraphs.RunAsync(graph, engine: engine, resolver: resolver, catalog: catalog);
        return result.Node("node");
    }
}
