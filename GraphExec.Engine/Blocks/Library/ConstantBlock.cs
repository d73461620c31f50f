using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Engine.Json;

namespace GraphExec.Engine.Blocks.Library;

/// <summary>Fires a fixed value, typed by that value.</summary>
internal sealed class ConstantBlock() : Block<ConstantConfig>(Definition, BlockConfigJsonContext.Default.ConstantConfig)
{
    private static readonly BlockDescriptor Definition = new()
    {
        Name = "constant",
        Description = "Fires the fixed value 'value'. Its output is typed by that value, so a constant string cannot feed an array input.",
        Outputs = [new PortDescriptor("value", PortType.Any, "The value.")],
        ConfigSchema = JsonElement.Parse("""
            {
              "type": "object",
              "additionalProperties": false,
              "required": ["value"],
              "properties": { "value": { "description": "Any JSON value." } }
            }
            """),
        Examples =
        [
            new("A number.", JsonElement.Parse("""{ "value": 42 }""")),
            new("An object.", JsonElement.Parse("""{ "value": { "currency": "EUR", "rate": 1.08 } }""")),
        ],
    };

    protected override BlockNode Bind(ConstantConfig config, ICollection<ConfigError> errors)
    {
        var type = PortTypes.Of(config.Value.ValueKind);
        return new Node(JsonValues.Parse(config.Value), [new PortDescriptor("value", type, "The value.")]);
    }

    private sealed class Node(JsonNode? value, IReadOnlyList<PortDescriptor> outputs) : BlockNode([], outputs)
    {
        public override ValueTask ExecuteAsync(NodeContext context)
        {
            context.SetOutput(0, value);
            return ValueTask.CompletedTask;
        }
    }
}

internal sealed record ConstantConfig(JsonElement Value);
