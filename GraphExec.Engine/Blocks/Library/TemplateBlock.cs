using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Engine.Blocks.Templating;

namespace GraphExec.Engine.Blocks.Library;

/// <summary>Renders text from its inputs: <c>Hello, {{who}}!</c>.</summary>
internal sealed class TemplateBlock() : Block<TemplateConfig>(Definition, BlockConfigJsonContext.Default.TemplateConfig)
{
    private static readonly BlockDescriptor Definition = new()
    {
        Name = "template",
        Description = "Renders text. '{{name}}' inserts input 'name'; '{{name.path.0}}' a value inside it. "
            + "Strings are inserted as they are, missing values as nothing, other values as compact JSON.",
        ConfigInputs = "One required input per variable the template uses: '{{user.name}}' adds input 'user'.",
        Outputs = [new PortDescriptor("text", PortType.String, "The rendered text.")],
        ConfigSchema = JsonElement.Parse("""
            {
              "type": "object",
              "additionalProperties": false,
              "required": ["template"],
              "properties": { "template": { "type": "string", "maxLength": 1048576, "description": "The text with {{placeholders}}." } }
            }
            """),
        Examples =
        [
            new("A greeting.", JsonElement.Parse("""{ "template": "Hello, {{who}}!" }""")),
            new("Values inside an object.", JsonElement.Parse("""{ "template": "{{order.customer.name}} ordered {{order.items.0.sku}}" }""")),
        ],
    };

    protected override BlockNode Bind(TemplateConfig config, ICollection<ConfigError> errors)
    {
        var ports = new VariablePorts();
        var template = Template.Parse(config.Template, ports, "/template", errors);
        return new Node(template!, ports);
    }

    private sealed class Node(Template template, VariablePorts ports) : BlockNode(ports, Definition.Outputs)
    {
        public override ValueTask ExecuteAsync(NodeContext context)
        {
            context.SetOutput(0, JsonValue.Create(template.Render(context)));
            return ValueTask.CompletedTask;
        }
    }
}

internal sealed record TemplateConfig(string Template);
