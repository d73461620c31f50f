using System.Text.Json.Nodes;
using GraphExec.Engine;
using GraphExec.Engine.Json;

namespace GraphExec.Engine.Blocks.Library;

/// <summary>A bound input node; the plan lists these as the graph's inputs.</summary>
internal sealed class GraphInputNode(string name, PortType type, bool required, bool hasDefault, JsonNode? fallback)
    : BlockNode([], [new PortDescriptor("value", type, "The input's value.")])
{
    public string Name { get; } = name;

    public GraphInput Describe() => new(Name, type, required, fallback?.DeepClone());

    public override ValueTask ExecuteAsync(NodeContext context)
    {
        if (!context.TryGetGraphInput(Name, out var value))
        {
            if (!hasDefault && required)
            {
                throw new BlockException($"The graph input '{Name}' is required.");
            }

            value = fallback;
        }

        if (value is not null && !type.Accepts(value))
        {
            throw new BlockException($"The graph input '{Name}' must be {type.Describe()}, not {PortTypes.DescribeValue(value)}.");
        }

        // Inputs come from outside the run and may be read by nodes on several threads at once.
        context.SetOutput(0, JsonValues.Materialize(value));
        return ValueTask.CompletedTask;
    }
}
