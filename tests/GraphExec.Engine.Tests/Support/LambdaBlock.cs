using System.Text.Json;
using GraphExec.Engine.Blocks;

namespace GraphExec.Engine.Tests.Support;

/// <summary>A block whose behaviour a test supplies, to observe or steer the engine.</summary>
public sealed class LambdaBlock(string name, string[] inputs, string[] outputs, Func<NodeContext, ValueTask> execute)
    : Block(new BlockDescriptor
    {
        Name = name,
        Description = "A test block.",
        Inputs = [.. inputs.Select(input => new PortDescriptor(input, PortType.Any, input))],
        Outputs = [.. outputs.Select(output => new PortDescriptor(output, PortType.Any, output))],
        ConfigSchema = JsonElement.Parse("""{ "type": "object" }"""),
        Examples = [],
    })
{
    protected override BlockNode BindValidConfig(JsonElement config, ICollection<ConfigError> errors) => new Node(Descriptor, execute);

    private sealed class Node(BlockDescriptor descriptor, Func<NodeContext, ValueTask> execute) : BlockNode(descriptor.Inputs, descriptor.Outputs)
    {
        public override ValueTask ExecuteAsync(NodeContext context) => execute(context);
    }
}
