using GraphExec.Engine.Blocks;
using GraphExec.Engine.Blocks.Library;
using GraphExec.Engine.Graphs;
using GraphExec.Engine.Secrets;

namespace GraphExec.Engine;

/// <summary>
/// A validated graph compiled for running: blocks bound to their configs, nodes and ports numbered,
/// edges turned into index arrays. Immutable and safe to share between any number of concurrent runs;
/// only <see cref="Validation.GraphValidator"/> makes one, so holding a plan means the graph is valid.
/// </summary>
public sealed class ExecutionPlan
{
    /// <summary>The output port added to nodes that set <c>onError: continue</c>.</summary>
    public const string ErrorPort = "error";

    private readonly Dictionary<string, int> _indexById;

    internal ExecutionPlan(GraphDefinition graph, BlockNode[] blocks, IReadOnlyList<ResolvedEdge> edges, int[] topologicalOrder)
    {
        var count = blocks.Length;
        Graph = graph;
        Blocks = blocks;
        TopologicalOrder = topologicalOrder;
        NodeIds = [.. graph.Nodes.Select(node => node.Id)];
        Settings = [.. graph.Nodes.Select(NodeSettings.From)];
        _indexById = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            _indexById[NodeIds[i]] = i;
        }

        InputNames = [.. blocks.Select(block => block.Inputs.Select(port => port.Name).ToArray())];
        OutputNames = new string[count][];
        ErrorPorts = new int[count];
        for (var i = 0; i < count; i++)
        {
            var names = blocks[i].Outputs.Select(port => port.Name);
            var continues = Settings[i].OnError == OnError.Continue;
            OutputNames[i] = [.. continues ? names.Append(ErrorPort) : names];
            ErrorPorts[i] = continues ? OutputNames[i].Length - 1 : -1;
        }

        var inputStart = PrefixSums(InputNames);
        var outputStart = PrefixSums(OutputNames);
        var inputSlots = new int[inputStart[^1]];
        Array.Fill(inputSlots, -1);
        ConnectedInputs = new int[count];
        var consumerCounts = new int[outputStart[^1] + 1];
        foreach (var edge in edges)
        {
            var slot = outputStart[edge.FromNode] + edge.FromPort;
            inputSlots[inputStart[edge.ToNode] + edge.ToPort] = slot;
            ConnectedInputs[edge.ToNode]++;
            consumerCounts[slot + 1]++;
        }

        // Consumers of slot s are Consumers[ConsumerStart[s]..ConsumerStart[s + 1]] (compressed sparse rows).
        for (var s = 1; s < consumerCounts.Length; s++)
        {
            consumerCounts[s] += consumerCounts[s - 1];
        }

        ConsumerStart = consumerCounts;
        Consumers = new int[edges.Count];
        var fill = (int[])ConsumerStart.Clone();
        foreach (var edge in edges)
        {
            Consumers[fill[outputStart[edge.FromNode] + edge.FromPort]++] = edge.ToNode;
        }

        Layout = new PortLayout(inputStart, inputSlots, outputStart);
        SlotIdentity = [.. Enumerable.Range(0, Layout.SlotCount)];
        Inputs = [.. blocks.OfType<GraphInputNode>().Select(input => input.Describe())];
        OutputNodes = [.. Enumerable.Range(0, count).Where(i => blocks[i] is GraphOutputNode).Select(i => (((GraphOutputNode)blocks[i]).Name, i))];
        Outputs = [.. OutputNodes.Select(output => output.Name)];
        SecretReferences = [.. Enumerable.Range(0, count).SelectMany(i => blocks[i].Secrets.Select(name => new SecretReference(NodeIds[i], name)))];
    }

    public GraphDefinition Graph { get; }

    public int NodeCount => Blocks.Length;

    /// <summary>The graph's inputs, from its input nodes.</summary>
    public IReadOnlyList<GraphInput> Inputs { get; }

    /// <summary>The names of the graph's outputs, from its output nodes.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>
    /// The owner's secrets the graph's nodes name (<c>{{secrets.NAME}}</c>), node by node, so that saving a graph and
    /// starting a run can check they exist. Child graphs name their own.
    /// </summary>
    public IReadOnlyList<SecretReference> SecretReferences { get; }

    internal BlockNode[] Blocks { get; }

    internal NodeSettings[] Settings { get; }

    internal string[] NodeIds { get; }

    internal string[][] InputNames { get; }

    internal string[][] OutputNames { get; }

    /// <summary>The index of each node's error output, or -1 when it has none.</summary>
    internal int[] ErrorPorts { get; }

    internal int[] ConnectedInputs { get; }

    internal PortLayout Layout { get; }

    internal int[] ConsumerStart { get; }

    internal int[] Consumers { get; }

    internal int[] TopologicalOrder { get; }

    /// <summary>slot → slot, so that outputs can be read through the same indirection as inputs.</summary>
    internal int[] SlotIdentity { get; }

    internal (string Name, int Node)[] OutputNodes { get; }

    internal bool TryGetIndex(string nodeId, out int index) => _indexById.TryGetValue(nodeId, out index);

    private static int[] PrefixSums(string[][] ports)
    {
        var sums = new int[ports.Length + 1];
        for (var i = 0; i < ports.Length; i++)
        {
            sums[i + 1] = sums[i] + ports[i].Length;
        }

        return sums;
    }
}
