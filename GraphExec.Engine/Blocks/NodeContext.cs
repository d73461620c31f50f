using System.Text.Json.Nodes;
using GraphExec.Engine;

namespace GraphExec.Engine.Blocks;

/// <summary>
/// What a running node sees: its inputs, where its outputs go, time, cancellation and child graphs.
/// A struct over the run's port arrays, so starting a node allocates nothing.
/// Inputs are shared with other nodes: read them, never change them (clone before embedding).
/// </summary>
public readonly struct NodeContext
{
    private readonly NodeHost _host;
    private readonly int _node;

    internal NodeContext(NodeHost host, int node, CancellationToken cancellationToken)
    {
        _host = host;
        _node = node;
        CancellationToken = cancellationToken;
    }

    public string NodeId => _host.NodeId(_node);

    public CancellationToken CancellationToken { get; }

    public TimeProvider TimeProvider => _host.TimeProvider;

    /// <summary>
    /// The most a value may take (JSON in UTF-8). A block that builds a value out of its inputs (a template repeating one)
    /// stops with <see cref="ValueTooLargeException"/> as soon as it is over, rather than building it whole first.
    /// </summary>
    public long MaxValueBytes => _host.MaxValueBytes;

    /// <summary>True when the input is connected and its source fired a value (possibly JSON null).</summary>
    public bool HasInput(int port)
    {
        var slot = InputSlot(port);
        return slot >= 0 && _host.States[slot] == SlotState.Fired;
    }

    /// <summary>The input's value, or null when it has none.</summary>
    public JsonNode? GetInput(int port)
    {
        var slot = InputSlot(port);
        return slot >= 0 && _host.States[slot] == SlotState.Fired ? _host.Values[slot] : null;
    }

    /// <summary>Fires an output port. Ports never set stay dead, which skips the nodes they feed.</summary>
    public void SetOutput(int port, JsonNode? value)
    {
        var slot = _host.Layout.OutputStart[_node] + port;
        _host.Values[slot] = value;
        _host.States[slot] = SlotState.Fired;
    }

    /// <summary>
    /// The value of a secret the node's config names (<c>{{secrets.NAME}}</c>), read before the node started. Anything the
    /// node fires or fails with is masked afterwards, so a block may use the value freely but cannot pass it on.
    /// </summary>
    public string GetSecret(string name) => _host.Secrets.Get(name);

    /// <summary>The text with every secret this execution has read replaced by <c>***</c>, for what a block reports elsewhere.</summary>
    public string MaskSecrets(string text) => _host.Secrets.IsEmpty ? text : _host.Secrets.Apply(text);

    public bool TryGetGraphInput(string name, out JsonNode? value) => _host.TryGetGraphInput(name, out value);

    /// <summary>
    /// Runs another graph to completion, as the subgraph and foreach blocks do, under the node's token
    /// or, when given, a token derived from it.
    /// </summary>
    public Task<ExecutionResult> RunGraphAsync(
        GraphReference graph, IReadOnlyDictionary<string, JsonNode?> inputs, CancellationToken cancellationToken = default) =>
        _host.RunGraphAsync(_node, graph, inputs, cancellationToken.CanBeCanceled ? cancellationToken : CancellationToken);

    private int InputSlot(int port) => _host.Layout.InputSlots[_host.Layout.InputStart[_node] + port];
}
