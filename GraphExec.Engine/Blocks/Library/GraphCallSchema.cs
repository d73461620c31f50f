using System.Text.Json.Nodes;
using GraphExec.Engine;
using GraphExec.Engine.Graphs;

namespace GraphExec.Engine.Blocks.Library;

/// <summary>What the subgraph and foreach blocks share: how they name a graph, and how they read its result.</summary>
internal static class GraphCallSchema
{
    public const string SubgraphBlock = "subgraph";

    public const string ForEachBlock = "foreach";

    /// <summary>A config schema with 'graph' and 'version' plus the given properties ({{name}} stands for a name schema).</summary>
    public static string Build(string properties) => $$"""
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["graph", "version"],
          "properties": {
            "graph": {
              "type": "string",
              "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
              "errorMessage": "Use the graph's id, a UUID.",
              "description": "The id of the saved graph to run."
            },
            "version": { "type": "integer", "minimum": 1, "maximum": 2147483647, "description": "The version of that graph to run." },
            {{properties.Replace("{{name}}", NameSchema, StringComparison.Ordinal)}}
          }
        }
        """;

    /// <summary>The outputs of a finished graph as one object, or the failure of the node that ran it.</summary>
    public static JsonObject OutputsOf(GraphReference graph, ExecutionResult result)
    {
        if (result.Status != ExecutionStatus.Succeeded)
        {
            var at = result.Error?.NodeId is { } node ? $" at node '{node}'" : string.Empty;
            throw new BlockException($"Running {graph} ended {result.Status}{at}: {result.Error?.Message}");
        }

        var outputs = new JsonObject();
        foreach (var (name, value) in result.Outputs)
        {
            outputs[name] = value?.DeepClone();
        }

        return outputs;
    }

    private static string NameSchema => $$"""{ "type": "string", "pattern": "{{Names.Pattern}}", "errorMessage": "Use {{Names.Rule}}." }""";
}
