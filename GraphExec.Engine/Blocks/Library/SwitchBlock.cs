using System.Text.Json;
using GraphExec.Engine.Blocks.Templating;
using GraphExec.Engine.Graphs;
using GraphExec.Engine.Json;

namespace GraphExec.Engine.Blocks.Library;

/// <summary>Fires the value on the port named after it (one per case), or on <c>default</c>.</summary>
internal sealed class SwitchBlock() : Block<SwitchConfig>(Definition, BlockConfigJsonContext.Default.SwitchConfig)
{
    private const string DefaultPort = "default";

    private static readonly BlockDescriptor Definition = new()
    {
        Name = "switch",
        Description = "Routes a value by what it is. Compares the text of 'value' (or of the value at 'path' inside it) with each case "
            + "and fires 'value' on the port of the matching case, or on 'default'. Numbers and booleans compare by their JSON text ('2', 'true').",
        Inputs = [new PortDescriptor("value", PortType.Any, "The value to route.", Required: true)],
        Outputs = [new PortDescriptor(DefaultPort, PortType.Any, "Fires when no case matches.")],
        ConfigOutputs = "One output per case, named after it.",
        ConfigSchema = JsonElement.Parse($$"""
            {
              "type": "object",
              "additionalProperties": false,
              "required": ["cases"],
              "properties": {
                "cases": {
                  "type": "array", "minItems": 1, "maxItems": 64, "uniqueItems": true,
                  "items": { "type": "string", "pattern": "{{Names.Pattern}}", "errorMessage": "A case names a port: use {{Names.Rule}}." }
                },
                "path": { "type": "string", "maxLength": 1024, "description": "Dotted path of the value to compare inside 'value'." }
              }
            }
            """),
        Examples = [new("Route orders by status.", JsonElement.Parse("""{ "cases": ["new", "paid", "shipped"], "path": "status" }"""))],
    };

    protected override BlockNode Bind(SwitchConfig config, ICollection<ConfigError> errors)
    {
        if (!ValuePath.TryParse(config.Path ?? string.Empty, out var path))
        {
            errors.Add(new ConfigError("/path", "Not a path: write names or indices separated by dots, as in 'order.status'."));
        }

        var clash = config.Cases.IndexOf(DefaultPort);
        if (clash >= 0)
        {
            errors.Add(new ConfigError($"/cases/{clash}", "'default' is the port for values that match no case; choose another case name."));
        }

        IReadOnlyList<PortDescriptor> outputs =
        [
            .. config.Cases.Select(name => new PortDescriptor(name, PortType.Any, $"Fires when the value is '{name}'.")),
            .. Definition.Outputs,
        ];
        return new Node(config.Cases, path, outputs);
    }

    private sealed class Node(List<string> cases, ValuePath path, IReadOnlyList<PortDescriptor> outputs) : BlockNode(Definition.Inputs, outputs)
    {
        public override ValueTask ExecuteAsync(NodeContext context)
        {
            var value = context.GetInput(0);
            var key = path.TryGet(value, out var compared) ? JsonValues.ToText(compared) : null;
            var port = key is null ? -1 : cases.IndexOf(key);
            context.SetOutput(port >= 0 ? port : cases.Count, value);
            return ValueTask.CompletedTask;
        }
    }
}

internal sealed record SwitchConfig(List<string> Cases, string? Path);
