using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using GraphExec.Engine;
using GraphExec.Engine.Blocks;
using GraphExec.Engine.Blocks.Library;
using GraphExec.Engine.Graphs;
using GraphExec.Engine.Json;

namespace GraphExec.Engine.Validation;

/// <summary>
/// The one way into the engine for a graph: checks raw JSON (or a graph built in code) and reports
/// every problem at once, each with a JSON pointer and a message, or returns the compiled plan.
/// Never throws on bad input.
/// </summary>
public sealed class GraphValidator(BlockCatalog catalog, GraphLimits? limits = null)
{
    /// <summary>How much of an unknown block's name a message repeats.</summary>
    private const int MaxShownName = 64;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };
    private static readonly JsonElement EmptyConfig = JsonElement.Parse("{}");

    private readonly GraphLimits _limits = limits ?? new GraphLimits();

    public GraphValidationResult Validate(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Validate(System.Text.Encoding.UTF8.GetBytes(json));
    }

    public GraphValidationResult Validate(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > _limits.MaxDocumentBytes)
        {
            return Failed(new ValidationError(JsonPointer.Root, ValidationCodes.TooLarge,
                $"The graph is {Size(utf8Json.Length)}; the limit is {Size(_limits.MaxDocumentBytes)}."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), DocumentOptions);
        }
        catch (JsonException ex)
        {
            return Failed(new ValidationError(JsonPointer.Root, ValidationCodes.InvalidJson, DescribeSyntaxError(ex)));
        }

        using (document)
        {
            // Before anything reads a string: one that is not Unicode text throws when read, and U+0000 cannot be stored.
            if (StorableText.Find(document.RootElement, JsonPointer.Root) is { } unstorable)
            {
                return Failed(new ValidationError(unstorable.Pointer, ValidationCodes.InvalidValue, unstorable.Problem));
            }

            var errors = new List<ValidationError>();
            if (!DocumentShape.Check(document.RootElement, _limits, errors))
            {
                return new GraphValidationResult { Errors = errors };
            }

            GraphDefinition graph;
            try
            {
                graph = GraphJson.Deserialize(document.RootElement);
            }
            catch (JsonException ex)
            {
                // Unreachable once the shape check passed; kept so that no input can make validation throw.
                return Failed(new ValidationError(JsonPointer.Root, ValidationCodes.InvalidType, $"The graph could not be read: {ex.Message}"));
            }

            return Validate(graph);
        }
    }

    public GraphValidationResult Validate(GraphDefinition graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new Compilation(catalog, _limits, graph).Run();
    }

    private static GraphValidationResult Failed(ValidationError error) => new() { Errors = [error] };

    private static string DescribeSyntaxError(JsonException ex)
    {
        // The reader's message ends with its own position format ("LineNumber: 0 | BytePositionInLine: 5."); say it plainly instead.
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        message = (cut > 0 ? message[..cut] : message).Trim().TrimEnd('.');
        return ex.LineNumber is { } line
            ? $"The graph is not valid JSON (line {line + 1}, character {ex.BytePositionInLine + 1}): {message}."
            : $"The graph is not valid JSON: {message}.";
    }

    internal static string Size(long bytes) => bytes >= 1024 * 1024
        ? $"{(bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture)} MiB"
        : $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes";

    /// <summary>The checks on a graph that has the right shape, and the plan built from them.</summary>
    private sealed class Compilation(BlockCatalog catalog, GraphLimits limits, GraphDefinition graph)
    {
        private readonly List<ValidationError> _errors = [];
        private readonly Dictionary<string, int> _indexById = new(StringComparer.Ordinal);
        private readonly BlockNode?[] _bound = new BlockNode?[graph.Nodes.Count];
        private readonly List<ResolvedEdge> _edges = [];
        private readonly List<int> _edgeIndices = [];
        private readonly Dictionary<(int Node, int Port), int> _connected = [];
        private readonly HashSet<(int Node, int Port)> _targeted = [];
        private readonly Dictionary<(int Node, bool Output), Dictionary<string, int>> _portIndex = [];

        public GraphValidationResult Run()
        {
            CheckGraph();
            if (!_errors.Any(e => e.Code is ValidationCodes.TooManyNodes or ValidationCodes.TooManyEdges))
            {
                for (var i = 0; i < graph.Nodes.Count; i++)
                {
                    CheckNode(i);
                }

                CheckGraphNames();
                for (var i = 0; i < graph.Edges.Count; i++)
                {
                    CheckEdge(i);
                }

                CheckRequiredInputs();
            }

            var order = CheckCycles();
            if (_errors.Count > 0)
            {
                return new GraphValidationResult { Errors = _errors, Graph = graph };
            }

            return new GraphValidationResult
            {
                Graph = graph,
                Plan = new ExecutionPlan(graph, [.. _bound.Select(node => node!)], _edges, order),
            };
        }

        private void Add(string pointer, string code, string message) => _errors.Add(new ValidationError(pointer, code, message));

        private void CheckGraph()
        {
            if (string.IsNullOrWhiteSpace(graph.Name))
            {
                Add("/name", ValidationCodes.InvalidValue, "The graph needs a name.");
            }
            else if (graph.Name.Length > limits.MaxNameLength)
            {
                Add("/name", ValidationCodes.InvalidValue, $"The name is {graph.Name.Length} characters long; the limit is {limits.MaxNameLength}.");
            }

            if (graph.Description?.Length > limits.MaxDescriptionLength)
            {
                Add("/description", ValidationCodes.InvalidValue, $"The description is {graph.Description.Length} characters long; the limit is {limits.MaxDescriptionLength}.");
            }

            if (graph.Nodes.Count == 0)
            {
                Add("/nodes", ValidationCodes.InvalidValue, "A graph needs at least one node.");
            }

            _errors.AddRange(limits.CountErrors(graph.Nodes.Count, graph.Edges.Count));
        }

        private void CheckNode(int index)
        {
            var node = graph.Nodes[index];
            var pointer = JsonPointer.Append("/nodes", index);
            if (!Names.IsValid(node.Id))
            {
                Add(JsonPointer.Append(pointer, "id"), ValidationCodes.InvalidNodeId, $"'{node.Id}' is not a valid node id: use {Names.Rule}.");
            }
            else if (!_indexById.TryAdd(node.Id, index))
            {
                Add(JsonPointer.Append(pointer, "id"), ValidationCodes.DuplicateNodeId, $"Node id '{node.Id}' is already used by /nodes/{_indexById[node.Id]}.");
            }

            CheckSettings(node, pointer);
            if (!catalog.TryGetBlock(node.Block, out var block))
            {
                Add(JsonPointer.Append(pointer, "block"), ValidationCodes.UnknownBlock, UnknownBlockMessage(node.Block));
                return;
            }

            var config = node.Config ?? EmptyConfig;
            var configPointer = JsonPointer.Append(pointer, "config");
            var size = JsonMarshal.GetRawUtf8Value(config).Length;
            if (size > limits.MaxConfigBytes)
            {
                Add(configPointer, ValidationCodes.TooLarge, $"The config is {Size(size)}; the limit is {Size(limits.MaxConfigBytes)}.");
                return;
            }

            var configErrors = new List<ConfigError>();
            _bound[index] = block.Bind(config, configErrors);
            foreach (var error in configErrors)
            {
                Add(configPointer + error.Pointer, ValidationCodes.InvalidConfig, error.Message);
            }
        }

        private void CheckSettings(NodeDefinition node, string pointer)
        {
            var retry = JsonPointer.Append(pointer, "retry");
            CheckRange(node.Retry?.MaxAttempts, 1, 10, JsonPointer.Append(retry, "maxAttempts"));
            CheckRange(node.Retry?.DelayMs, 0, 3_600_000, JsonPointer.Append(retry, "delayMs"));
            CheckRange(node.Retry?.BackoffMultiplier, 1, 10, JsonPointer.Append(retry, "backoffMultiplier"));
            CheckRange(node.Retry?.MaxDelayMs, 0, 86_400_000, JsonPointer.Append(retry, "maxDelayMs"));
            CheckRange(node.TimeoutMs, 1, 86_400_000, JsonPointer.Append(pointer, "timeoutMs"));
        }

        private void CheckRange(double? value, double min, double max, string pointer)
        {
            if (value < min || value > max)
            {
                Add(pointer, ValidationCodes.InvalidValue, $"Must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}.");
            }
        }

        private void CheckGraphNames()
        {
            var inputs = new Dictionary<string, int>(StringComparer.Ordinal);
            var outputs = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < _bound.Length; i++)
            {
                var (name, seen, kind) = _bound[i] switch
                {
                    GraphInputNode input => (input.Name, inputs, "input"),
                    GraphOutputNode output => (output.Name, outputs, "output"),
                    _ => (null, null, null),
                };
                if (name is not null && !seen!.TryAdd(name, i))
                {
                    Add($"/nodes/{i}/config/name", ValidationCodes.DuplicateName, $"The graph already has an {kind} named '{name}' (node '{graph.Nodes[seen[name]].Id}').");
                }
            }
        }

        private void CheckEdge(int index)
        {
            var edge = graph.Edges[index];
            var pointer = JsonPointer.Append("/edges", index);
            var from = Resolve(edge.From, JsonPointer.Append(pointer, "from"), output: true);
            var to = Resolve(edge.To, JsonPointer.Append(pointer, "to"), output: false);
            if (to is { } target)
            {
                // An input whose edge is wrong is not also reported as unconnected.
                _targeted.Add(target);
            }

            if (from is not var (fromNode, fromPort) || to is not var (toNode, toPort))
            {
                return;
            }

            if (_connected.TryGetValue((toNode, toPort), out var earlier))
            {
                Add(JsonPointer.Append(pointer, "to"), ValidationCodes.InputConnectedTwice,
                    $"Input '{edge.To}' is already connected by /edges/{earlier}; an input takes one edge (join paths with a coalesce node).");
                return;
            }

            var produced = OutputsOf(fromNode)[fromPort].Type;
            var expected = _bound[toNode]!.Inputs[toPort].Type;
            if (produced != PortType.Any && expected != PortType.Any && produced != expected)
            {
                Add(pointer, ValidationCodes.PortTypeMismatch,
                    $"'{edge.From}' gives {produced.Describe()}, but '{edge.To}' takes {expected.Describe()}.");
                return;
            }

            _edges.Add(new ResolvedEdge(fromNode, fromPort, toNode, toPort));
            _edgeIndices.Add(index);
            _connected[(toNode, toPort)] = index;
        }

        private (int Node, int Port)? Resolve(string endpoint, string pointer, bool output)
        {
            if (!PortAddress.TryParse(endpoint, out var address))
            {
                Add(pointer, ValidationCodes.InvalidEndpoint, $"'{endpoint}' is not an endpoint: write nodeId.port, as in 'greet.text'.");
                return null;
            }

            if (!_indexById.TryGetValue(address.Value.NodeId, out var node))
            {
                Add(pointer, ValidationCodes.UnknownNode, $"There is no node '{address.Value.NodeId}'.");
                return null;
            }

            if (_bound[node] is null)
            {
                return null; // Its block or config is wrong, already reported; its ports are unknown.
            }

            var ports = output ? OutputsOf(node) : _bound[node]!.Inputs;
            if (PortIndex(node, output, ports).TryGetValue(address.Value.Port, out var port))
            {
                return (node, port);
            }

            var kind = output ? "output" : "input";
            var block = graph.Nodes[node].Block;
            var message = output && address.Value.Port == ExecutionPlan.ErrorPort
                ? $"Node '{address.Value.NodeId}' has an 'error' output only when it sets \"onError\": \"continue\"."
                : ports.Count == 0
                    ? $"Node '{address.Value.NodeId}' ({block}) has no {kind}s."
                    : $"Node '{address.Value.NodeId}' ({block}) has no {kind} '{address.Value.Port}'; its {kind}s are: {string.Join(", ", ports.Select(p => p.Name))}.";
            Add(pointer, ValidationCodes.UnknownPort, message);
            return null;
        }

        private Dictionary<string, int> PortIndex(int node, bool output, IReadOnlyList<PortDescriptor> ports)
        {
            if (!_portIndex.TryGetValue((node, output), out var index))
            {
                index = new Dictionary<string, int>(ports.Count, StringComparer.Ordinal);
                for (var i = 0; i < ports.Count; i++)
                {
                    index.TryAdd(ports[i].Name, i);
                }

                _portIndex[(node, output)] = index;
            }

            return index;
        }

        private IReadOnlyList<PortDescriptor> OutputsOf(int node) =>
            graph.Nodes[node].OnError == OnError.Continue
                ? [.. _bound[node]!.Outputs, new PortDescriptor(ExecutionPlan.ErrorPort, PortType.Object, "The error.")]
                : _bound[node]!.Outputs;

        private void CheckRequiredInputs()
        {
            for (var node = 0; node < _bound.Length; node++)
            {
                var inputs = _bound[node]?.Inputs ?? [];
                for (var port = 0; port < inputs.Count; port++)
                {
                    if (inputs[port].Required && !_targeted.Contains((node, port)))
                    {
                        Add(JsonPointer.Append("/nodes", node), ValidationCodes.RequiredInputUnconnected,
                            $"Input '{inputs[port].Name}' of node '{graph.Nodes[node].Id}' is required, but no edge leads to it.");
                    }
                }
            }
        }

        private int[] CheckCycles()
        {
            if (CycleFinder.TryOrder(graph.Nodes.Count, _edges, out var order))
            {
                return order;
            }

            foreach (var (nodes, closingEdge) in CycleFinder.FindCycles(graph.Nodes.Count, _edges))
            {
                var path = string.Join(" → ", nodes.Append(nodes[0]).Select(node => graph.Nodes[node].Id));
                Add(JsonPointer.Append("/edges", _edgeIndices[closingEdge]), ValidationCodes.Cycle,
                    $"These nodes form a cycle: {path}. A graph cannot loop; to repeat work, use a foreach node.");
            }

            return order;
        }

        private string UnknownBlockMessage(string name)
        {
            // Only names within two edits can be suggested, and the distance costs length × length: a name of any other
            // length is not measured (a megabyte-long name would otherwise cost seconds), nor repeated in full.
            var names = catalog.Descriptors.Select(d => d.Name).ToList();
            var closest = names.Where(known => Math.Abs(known.Length - name.Length) <= 2).MinBy(known => Distance(known, name));
            var shown = name.Length <= MaxShownName ? name : name[..MaxShownName] + "…";
            return closest is not null && Distance(closest, name) <= 2
                ? $"There is no block '{shown}'. Did you mean '{closest}'?"
                : $"There is no block '{shown}'. Blocks: {string.Join(", ", names)}.";
        }

        private static int Distance(string a, string b)
        {
            var previous = Enumerable.Range(0, b.Length + 1).ToArray();
            for (var i = 1; i <= a.Length; i++)
            {
                var current = new int[b.Length + 1];
                current[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                }

                previous = current;
            }

            return previous[b.Length];
        }
    }
}
