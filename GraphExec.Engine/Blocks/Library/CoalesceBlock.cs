using System.Text.Json;
using GraphExec.Engine.Graphs;

namespace GraphExec.Engine.Blocks.Library;

/// <summary>The join: fires the first of its inputs, in the configured order, that has a non-null value.</summary>
internal sealed class CoalesceBlock() : Block<CoalesceConfig>(Definition, BlockConfigJsonContext.Default.CoalesceConfig)
{
    private static readonly BlockDescriptor Definition = new()
    {
        Name = "coalesce",
        Description = "Joins paths. Waits until each connected input has a value or is dead (its branch was not taken), "
            + "then fires the first input, in the order of 'inputs', whose value is not null (null if all are). "
            + "It is skipped only when every connected input is dead.",
        ConfigInputs = "One optional input per name in 'inputs'.",
        Outputs = [new PortDescriptor("value", PortType.Any, "The first value present.")],
        Join = JoinPolicy.Any,
        ConfigSchema = JsonElement.Parse($$"""
            {
              "type": "object",
              "additionalProperties": false,
              "required": ["inputs"],
              "properties": {
                "inputs": {
                  "type": "array", "minItems": 1, "maxItems": 10000, "uniqueItems": true,
                  "items": { "type": "string", "pattern": "{{Names.Pattern}}", "errorMessage": "An input name: use {{Names.Rule}}." },
                  "description": "The input names, in order of preference."
                }
              }
            }
            """),
        Examples = [new("Prefer the cached value, else the fetched one.", JsonElement.Parse("""{ "inputs": ["cached", "fetched"] }"""))],
    };

    protected override BlockNode Bind(CoalesceConfig config, ICollection<ConfigError> errors) =>
        new Node([.. config.Inputs.Select(name => new PortDescriptor(name, PortType.Any, $"Candidate '{name}'."))]);

    private sealed class Node(IReadOnlyList<PortDescriptor> inputs) : BlockNode(inputs, Definition.Outputs, JoinPolicy.Any)
    {
        public override ValueTask ExecuteAsync(NodeContext context)
        {
            for (var port = 0; port < Inputs.Count; port++)
            {
                if (context.GetInput(port) is { } value)
                {
                    context.SetOutput(0, value);
                    return ValueTask.CompletedTask;
                }
            }

            context.SetOutput(0, null);
            return ValueTask.CompletedTask;
        }
    }
}

internal sealed record CoalesceConfig(List<string> Inputs);
