namespace GraphExec.Engine.Blocks;

/// <summary>
/// A node's block with its config compiled (templates parsed, expressions built), ready to run any
/// number of times, from any number of runs at once: implementations keep no per-run state.
/// </summary>
public abstract class BlockNode(IReadOnlyList<PortDescriptor> inputs, IReadOnlyList<PortDescriptor> outputs, JoinPolicy join = JoinPolicy.All)
{
    public IReadOnlyList<PortDescriptor> Inputs { get; } = inputs;

    public IReadOnlyList<PortDescriptor> Outputs { get; } = outputs;

    public JoinPolicy Join { get; } = join;

    /// <summary>The owner's secrets the config names (<c>{{secrets.NAME}}</c>); the engine reads them before the node runs.</summary>
    public IReadOnlyList<string> Secrets { get; } = [];

    /// <summary>A node whose inputs, and secrets, are those its templates mention.</summary>
    protected BlockNode(Templating.VariablePorts ports, IReadOnlyList<PortDescriptor> outputs, JoinPolicy join = JoinPolicy.All)
        : this(ports.Ports, outputs, join) => Secrets = ports.Secrets;

    /// <summary>
    /// Reads inputs and fires outputs through <paramref name="context"/>. Pure blocks complete
    /// synchronously, which lets the engine run them inline without allocating; a failure is an
    /// exception, preferably a <see cref="BlockException"/> whose message the user understands.
    /// </summary>
    public abstract ValueTask ExecuteAsync(NodeContext context);
}
