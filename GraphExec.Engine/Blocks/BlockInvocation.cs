using System.Text.Json.Nodes;
using GraphExec.Engine;
using GraphExec.Engine.Secrets;

namespace GraphExec.Engine.Blocks;

/// <summary>
/// Runs one bound block outside any graph, with inputs the caller sets: for testing a block on its
/// own and for measuring blocks without the engine around them.
/// </summary>
public sealed class BlockInvocation
{
    private readonly BlockNode _node;
    private readonly Host _host;

    /// <param name="graphInputs">What an input block reads as the graph's inputs.</param>
    /// <param name="secrets">Where the secrets the block's config names are read from.</param>
    public BlockInvocation(
        BlockNode node, IReadOnlyDictionary<string, JsonNode?>? graphInputs = null, TimeProvider? timeProvider = null, ISecretSource? secrets = null)
    {
        _node = node;
        var inputs = node.Inputs.Count;
        var outputs = node.Outputs.Count;

        // Node 0 stands for whatever feeds the inputs: its outputs, slots 0..inputs-1, are the block's
        // inputs. Node 1 is the block, its outputs in the slots after those.
        _host = new Host(
            new PortLayout([0, 0, inputs], [.. Enumerable.Range(0, inputs)], [0, inputs, inputs + outputs]),
            timeProvider ?? TimeProvider.System,
            graphInputs ?? new Dictionary<string, JsonNode?>(),
            new SecretVault(secrets));
    }

    public void SetInput(int port, JsonNode? value)
    {
        _host.Values[port] = value;
        _host.States[port] = SlotState.Fired;
    }

    public bool HasOutput(int port) => _host.States[_node.Inputs.Count + port] == SlotState.Fired;

    public JsonNode? GetOutput(int port) => _host.Values[_node.Inputs.Count + port];

    /// <summary>Forgets the outputs of the last run, as if the block had not run.</summary>
    public void ClearOutputs() => _host.ClearOutputs(1);

    /// <summary>Runs the block once; outputs of an earlier run are cleared first.</summary>
    public ValueTask ExecuteAsync(CancellationToken cancellationToken = default)
    {
        _host.ClearOutputs(1);
        return _node.Secrets.Count == 0 ? _node.ExecuteAsync(new NodeContext(_host, 1, cancellationToken)) : WithSecretsAsync(cancellationToken);
    }

    private async ValueTask WithSecretsAsync(CancellationToken cancellationToken)
    {
        await _host.Secrets.ResolveAsync(_node.Secrets, cancellationToken).ConfigureAwait(false);
        await _node.ExecuteAsync(new NodeContext(_host, 1, cancellationToken)).ConfigureAwait(false);
    }

    private sealed class Host(PortLayout layout, TimeProvider timeProvider, IReadOnlyDictionary<string, JsonNode?> graphInputs, SecretVault secrets)
        : NodeHost(layout, timeProvider, ExecutionOptions.DefaultMaxValueBytes, secrets)
    {
        public override string NodeId(int node) => "node";

        public override bool TryGetGraphInput(string name, out JsonNode? value) => graphInputs.TryGetValue(name, out value);

        public override Task<ExecutionResult> RunGraphAsync(
            int node, GraphReference graph, IReadOnlyDictionary<string, JsonNode?> inputs, CancellationToken cancellationToken) =>
            throw new BlockException("A block run on its own cannot run other graphs.");
    }
}
