using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Engine;

namespace GraphExec.Engine.Blocks.Library;

/// <summary>Runs a saved graph once per item of an array, a bounded number at a time, and collects the outputs.</summary>
internal sealed class ForEachBlock() : Block<ForEachConfig>(Definition, BlockConfigJsonContext.Default.ForEachConfig)
{
    private const int MaxItems = 10_000;

    private static readonly BlockDescriptor Definition = new()
    {
        Name = GraphCallSchema.ForEachBlock,
        Description = "Runs version 'version' of the saved graph 'graph' once per item of 'items', at most 'parallelism' at a time (default 4). "
            + "Each run gets the item as input 'item' (or the name in 'itemInput'), its position as 'index' (or 'indexInput'), and the "
            + "properties of 'with' as further inputs. 'results' holds each run's outputs as an object, in the order of the items. "
            + $"The node fails as soon as one run does not succeed. At most {MaxItems} items.",
        Inputs =
        [
            new PortDescriptor("items", PortType.Array, "The items.", Required: true),
            new PortDescriptor("with", PortType.Object, "Further inputs given to every run."),
        ],
        Outputs = [new PortDescriptor("results", PortType.Array, "The outputs of each run, in item order.")],
        ConfigSchema = JsonElement.Parse(GraphCallSchema.Build("""
                "parallelism": { "type": "integer", "minimum": 1, "maximum": 64, "description": "Runs at a time; 4 when absent." },
                "itemInput": {{name}},
                "indexInput": {{name}}
            """)),
        Examples =
        [
            new("Send one email per recipient, eight at a time.", JsonElement.Parse("""
                { "graph": "0b9e7c1a-3f52-4c1e-8d2a-5e6f7a8b9c0d", "version": 1, "parallelism": 8, "itemInput": "recipient" }
                """)),
        ],
    };

    protected override BlockNode Bind(ForEachConfig config, ICollection<ConfigError> errors)
    {
        var item = config.ItemInput ?? "item";
        var index = config.IndexInput ?? "index";
        if (item == index)
        {
            errors.Add(new ConfigError("/indexInput", $"'{index}' is already the item's input name."));
        }

        return new Node(new GraphReference(config.Graph, config.Version), config.Parallelism ?? 4, item, index);
    }

    private sealed class Node(GraphReference graph, int parallelism, string itemInput, string indexInput)
        : BlockNode(Definition.Inputs, Definition.Outputs)
    {
        public override async ValueTask ExecuteAsync(NodeContext context)
        {
            if (context.GetInput(0) is not JsonArray items)
            {
                throw new BlockException($"'items' must be an array, not {PortTypes.DescribeValue(context.GetInput(0))}.");
            }

            if (items.Count > MaxItems)
            {
                throw new BlockException($"'items' has {items.Count} items; at most {MaxItems} are allowed.");
            }

            var shared = context.GetInput(1) as JsonObject;
            var results = new JsonNode?[items.Count];
            var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = context.CancellationToken };
            var node = context;
            await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), options, async (i, cancellationToken) =>
            {
                var inputs = shared is null
                    ? new Dictionary<string, JsonNode?>(StringComparer.Ordinal)
                    : new Dictionary<string, JsonNode?>(shared, StringComparer.Ordinal);

                inputs[itemInput] = items[i];
                inputs[indexInput] = JsonValue.Create(i);
                var result = await node.RunGraphAsync(graph, inputs, cancellationToken).ConfigureAwait(false);
                try
                {
                    results[i] = GraphCallSchema.OutputsOf(graph, result);
                }
                catch (BlockException ex)
                {
                    throw new BlockException($"Item {i.ToString(CultureInfo.InvariantCulture)}: {ex.Message}", ex);
                }
            }).ConfigureAwait(false);

            context.SetOutput(0, new JsonArray(results));
        }
    }
}

internal sealed record ForEachConfig(Guid Graph, int Version, int? Parallelism, string? ItemInput, string? IndexInput);
