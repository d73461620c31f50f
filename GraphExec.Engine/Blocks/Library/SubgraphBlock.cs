using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Engine;
using GraphExec.Engine.Graphs;

namespace GraphExec.Engine.Blocks.Library;

/// <summary>Runs another saved graph version with this node's inputs and fires its outputs.</summary>
internal sealed class SubgraphBlock() : Block<SubgraphConfig>(Definition, BlockConfigJsonContext.Default.SubgraphConfig)
{
    private const string ResultPort = "result";

    private static readonly BlockDescriptor Definition = new()
    {
        Name = GraphCallSchema.SubgraphBlock,
        Description = "Runs version 'version' of the saved graph 'graph' (its id) and waits for it. The inputs named in 'inputs' become "
            + "the graph's inputs of the same names; each name in 'outputs' becomes an output port carrying the graph's output of that name, "
            + "and 'result' carries all of its outputs as one object. The node fails when the graph does not succeed.",
        ConfigInputs = "One required input per name in 'inputs'.",
        Outputs = [new PortDescriptor(ResultPort, PortType.Object, "All of the graph's outputs.")],
        ConfigOutputs = "One output per name in 'outputs'.",
        ConfigSchema = JsonElement.Parse(GraphCallSchema.Build("""
                "inputs": { "type": "array", "maxItems": 64, "uniqueItems": true, "items": {{name}}, "description": "Inputs passed to the graph." },
                "outputs": { "type": "array", "maxItems": 64, "uniqueItems": true, "items": {{name}}, "description": "Graph outputs given their own port." }
            """)),
        Examples =
        [
            new("Score a customer with a shared graph.", JsonElement.Parse("""
                { "graph": "6f1c2b7e-8d1a-4f7e-9a53-0d6f2c1b9e44", "version": 3, "inputs": ["customer"], "outputs": ["score"] }
                """)),
        ],
    };

    protected override BlockNode Bind(SubgraphConfig config, ICollection<ConfigError> errors)
    {
        var inputs = config.Inputs ?? [];
        var outputs = config.Outputs ?? [];
        var clash = outputs.IndexOf(ResultPort);
        if (clash >= 0)
        {
            errors.Add(new ConfigError($"/outputs/{clash}", "'result' is the port carrying all outputs; the graph's output 'result' is in it."));
        }

        return new Node(
            new GraphReference(config.Graph, config.Version),
            [.. inputs.Select(name => new PortDescriptor(name, PortType.Any, $"The graph's input '{name}'.", Required: true))],
            [.. outputs.Select(name => new PortDescriptor(name, PortType.Any, $"The graph's output '{name}'.")), .. Definition.Outputs]);
    }

    private sealed class Node(GraphReference graph, IReadOnlyList<PortDescriptor> inputs, IReadOnlyList<PortDescriptor> outputs)
        : BlockNode(inputs, outputs)
    {
        public override async ValueTask ExecuteAsync(NodeContext context)
        {
            var arguments = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            for (var port = 0; port < Inputs.Count; port++)
            {
                arguments[Inputs[port].Name] = context.GetInput(port);
            }

            var result = await context.RunGraphAsync(graph, arguments).ConfigureAwait(false);
            var all = GraphCallSchema.OutputsOf(graph, result);
            for (var port = 0; port < Outputs.Count - 1; port++)
            {
                if (all.TryGetPropertyValue(Outputs[port].Name, out var value))
                {
                    context.SetOutput(port, value?.DeepClone());
                }
            }

            context.SetOutput(Outputs.Count - 1, all);
        }
    }
}

internal sealed record SubgraphConfig(Guid Graph, int Version, List<string>? Inputs, List<string>? Outputs);
