using System.Text.Json;
using GraphExec.Engine.Blocks.Templating;

namespace GraphExec.Engine.Blocks.Library;

/// <summary>Fails the node with a message, to stop a run on a path that should not be reached.</summary>
internal sealed class FailBlock() : Block<FailConfig>(Definition, BlockConfigJsonContext.Default.FailConfig)
{
    private static readonly BlockDescriptor Definition = new()
    {
        Name = "fail",
        Description = "Fails with 'message', a template as in the template block. The execution fails, "
            + "unless the node sets \"onError\": \"continue\", which sends the error on its 'error' port instead.",
        ConfigInputs = "One required input per variable the message uses.",
        ConfigSchema = JsonElement.Parse("""
            {
              "type": "object",
              "additionalProperties": false,
              "required": ["message"],
              "properties": { "message": { "type": "string", "minLength": 1, "maxLength": 4096 } }
            }
            """),
        Examples = [new("Reject an order.", JsonElement.Parse("""{ "message": "Order {{order.id}} has no items." }"""))],
    };

    protected override BlockNode Bind(FailConfig config, ICollection<ConfigError> errors)
    {
        var ports = new VariablePorts();
        var message = Template.Parse(config.Message, ports, "/message", errors);
        return new Node(message!, ports);
    }

    private sealed class Node(Template message, VariablePorts ports) : BlockNode(ports, [])
    {
        public override ValueTask ExecuteAsync(NodeContext context) =>
            ValueTask.FromException(new BlockException(message.Render(context)));
    }
}

internal sealed record FailConfig(string Message);
