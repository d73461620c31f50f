using System.Text.Json.Nodes;
using GraphExec.Engine.Secrets;

namespace GraphExec.Engine;

/// <summary>The port values of one run and the services its running nodes may use.</summary>
internal abstract class NodeHost(PortLayout layout, TimeProvider timeProvider, long maxValueBytes, SecretVault secrets)
{
    /// <summary>The secrets the run (with its child graphs) has read, and the mask that keeps them in.</summary>
    public SecretVault Secrets { get; } = secrets;

    public PortLayout Layout { get; } = layout;

    public JsonNode?[] Values { get; } = new JsonNode?[layout.SlotCount];

    public SlotState[] States { get; } = new SlotState[layout.SlotCount];

    public TimeProvider TimeProvider { get; } = timeProvider;

    /// <summary>The most a value may take, as JSON in UTF-8; blocks that build values count against it as they build.</summary>
    public long MaxValueBytes { get; } = maxValueBytes;

    public abstract string NodeId(int node);

    public abstract bool TryGetGraphInput(string name, out JsonNode? value);

    /// <summary>Runs a child graph for <paramref name="node"/> (a subgraph call, a foreach item).</summary>
    public abstract Task<ExecutionResult> RunGraphAsync(
        int node, GraphReference graph, IReadOnlyDictionary<string, JsonNode?> inputs, CancellationToken cancellationToken);

    /// <summary>Forgets what a failed attempt of the node may have fired.</summary>
    public void ClearOutputs(int node)
    {
        var start = Layout.OutputStart[node];
        var count = Layout.OutputStart[node + 1] - start;
        Array.Clear(Values, start, count);
        Array.Clear(States, start, count);
    }
}
