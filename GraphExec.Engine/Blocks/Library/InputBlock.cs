using System.Text.Json;
using GraphExec.Engine.Json;

namespace GraphExec.Engine.Blocks.Library;

/// <summary>A graph input: fires the value the run was given under <c>name</c>, or the default.</summary>
internal sealed class InputBlock() : Block<InputConfig>(Definition, BlockConfigJsonContext.Default.InputConfig)
{
    private static readonly BlockDescriptor Definition = new()
    {
        Name = "input",
        Description = "A graph input. Fires the value given to the run under 'name' (for a webhook, the body property of that name), "
            + "or 'default' when none was given. Without a default the input is required unless 'required' is false, when it fires null.",
        Outputs = [new PortDescriptor("value", PortType.Any, "The input's value; typed by 'type'.")],
        ConfigSchema = JsonElement.Parse($$"""
            {
              "type": "object",
              "additionalProperties": false,
              "required": ["name"],
              "properties": {
                "name": { "type": "string", "pattern": "{{Graphs.Names.Pattern}}", "errorMessage": "Use {{Graphs.Names.Rule}}.", "description": "The input's name." },
                "default": { "description": "The value used when the run gives none." },
                "required": { "type": "boolean", "description": "Whether a run must give a value; true unless there is a default." },
                "type": { "enum": ["any", "string", "number", "boolean", "object", "array"], "description": "The JSON type the value must have." },
                "description": { "type": "string", "maxLength": 1000 }
              }
            }
            """),
        Examples =
        [
            new("A required text input.", JsonElement.Parse("""{ "name": "who", "type": "string" }""")),
            new("An optional input with a default.", JsonElement.Parse("""{ "name": "greeting", "default": "Hello" }""")),
        ],
    };

    protected override BlockNode Bind(InputConfig config, ICollection<ConfigError> errors)
    {
        var type = config.Type is { } name ? Enum.Parse<PortType>(name, ignoreCase: true) : PortType.Any;
        var fallback = config.Default is { } value ? JsonValues.Parse(value) : null;
        return new GraphInputNode(config.Name, type, config.Required ?? config.Default is null, config.Default is not null, fallback);
    }
}

internal sealed record InputConfig(string Name, JsonElement? Default, bool? Required, string? Type, string? Description);
