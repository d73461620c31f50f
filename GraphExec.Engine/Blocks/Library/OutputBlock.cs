using System.Text.Json;

namespace GraphExec.Engine.Blocks.Library;

/// <summary>A graph output: the value arriving at <c>value</c> becomes the execution's output <c>name</c>.</summary>
internal sealed class OutputBlock() : Block<OutputConfig>(Definition, BlockConfigJsonContext.Default.OutputConfig)
{
    private static readonly BlockDescriptor Definition = new()
    {
        Name = "output",
        Description = "A graph output. The value arriving at 'value' becomes the execution's output 'name'. "
            + "An output node that is skipped leaves its output out.",
        Inputs = [new PortDescriptor("value", PortType.Any, "The output's value.", Required: true)],
        ConfigSchema = JsonElement.Parse($$"""
            {
              "type": "object",
              "additionalProperties": false,
              "required": ["name"],
              "properties": {
                "name": { "type": "string", "pattern": "{{Graphs.Names.Pattern}}", "errorMessage": "Use {{Graphs.Names.Rule}}.", "description": "The output's name." },
                "description": { "type": "string", "maxLength": 1000 }
              }
            }
            """),
        Examples = [new("The graph's 'greeting' output.", JsonElement.Parse("""{ "name": "greeting" }"""))],
    };

    protected override BlockNode Bind(OutputConfig config, ICollection<ConfigError> errors) =>
        new GraphOutputNode(config.Name, Definition.Inputs);
}

internal sealed record OutputConfig(string Name, string? Description);
