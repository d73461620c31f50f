namespace GraphExec.Engine.Blocks.Library;

/// <summary>A bound output node. It does nothing itself: the run reads its input when it ends.</summary>
internal sealed class GraphOutputNode(string name, IReadOnlyList<PortDescriptor> inputs) : BlockNode(inputs, [])
{
    public string Name { get; } = name;

    public override ValueTask ExecuteAsync(NodeContext context) => ValueTask.CompletedTask;
}
