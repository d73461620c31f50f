using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GraphExec.Web.Api;

namespace GraphExec.Web.Graphs.Editing;

/// <summary>
/// The graph being edited on the canvas: its JSON document (the one truth, so that properties the editor does not know,
/// such as a graph's <c>settings</c>, go back to the Api as they came), where each node sits, what is selected, and the
/// undo history. Every edit is a method here; the canvas and the JSON view only render <see cref="Sketch"/> and
/// <see cref="Json"/>, so the two never disagree.
/// </summary>
public sealed partial class GraphDraft
{
    /// <summary>How the JSON view writes a graph: indented, with non-ASCII text as it is.</summary>
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const int HistoryDepth = 200;
    private const string JsonTyping = "\njson";
    private const double PasteOffset = 40;
    private static readonly JsonDocumentOptions Lenient = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    private readonly IReadOnlyList<BlockDescriptor> _blocks;
    private readonly LinkedList<Snapshot> _undo = new();
    private readonly Stack<Snapshot> _redo = new();
    private readonly HashSet<string> _selection = [];
    private JsonObject _root;
    private Dictionary<string, CanvasPoint> _positions = [];
    private string? _typing;

    private sealed record Snapshot(string Json, Dictionary<string, CanvasPoint> Positions);

    /// <summary>Starts from a graph's JSON (an object); throws <see cref="JsonException"/> when it is not one.</summary>
    public GraphDraft(string json, IReadOnlyList<BlockDescriptor> blocks)
    {
        _blocks = blocks;
        _root = ParseObject(json) ?? throw new JsonException("A graph is a JSON object.");
        Refresh();
        _positions = LaidOut();
    }

    /// <summary>What the canvas draws: nodes with their ports, and edges, read from <see cref="Json"/>.</summary>
    public GraphSketch Sketch { get; private set; } = new([], []);

    /// <summary>The graph as the JSON view shows it and the Api receives it.</summary>
    public string Json { get; private set; } = "";

    public IReadOnlyDictionary<string, CanvasPoint> Positions => _positions;

    public IReadOnlySet<string> Selection => _selection;

    public IReadOnlyList<BlockDescriptor> Blocks => _blocks;

    public bool CanUndo => _undo.Count > 0;

    public bool CanRedo => _redo.Count > 0;

    /// <summary>Counts the changes, of the graph and of the selection, so that a view knows when to draw again.</summary>
    public int Revision { get; private set; }

    /// <summary>Counts the changes of the graph and of its nodes' places (not of the selection).</summary>
    public int Edits { get; private set; }

    public BlockDescriptor? BlockOf(SketchNode node) => _blocks.FirstOrDefault(b => b.Name == node.Block);

    public SketchNode? Node(string id) => Sketch.Nodes.FirstOrDefault(n => n.Id == id);

    public CanvasPoint PositionOf(string id) => _positions.TryGetValue(id, out var point) ? point : default;

    /// <summary>The box a node takes on the canvas (its height follows its ports).</summary>
    public (double Width, double Height) SizeOf(SketchNode node) =>
        (GraphLayout.NodeWidth, GraphLayout.HeaderHeight + 2 * GraphLayout.PortPadding
            + GraphLayout.PortSpacing * Math.Max(1, Math.Max(NodePorts.Inputs(node, BlockOf(node)).Count, node.Outputs.Count)));

    /// <summary>Where a node added without a place goes: a column to the right of everything, level with the top.</summary>
    public CanvasPoint NextFreeSpot() =>
        _positions.Count == 0
            ? new CanvasPoint(PasteOffset, PasteOffset)
            : new CanvasPoint(_positions.Values.Max(p => p.X) + GraphLayout.NodeWidth + 2 * PasteOffset, _positions.Values.Min(p => p.Y));

    /// <summary>Selects every node.</summary>
    public void SelectAll()
    {
        _selection.UnionWith(Sketch.Nodes.Select(n => n.Id));
        Revision++;
    }

    /// <summary>Adds a node of <paramref name="block"/> at <paramref name="at"/>, selected; returns its new id.</summary>
    public string AddNode(string block, CanvasPoint at)
    {
        var descriptor = _blocks.FirstOrDefault(b => b.Name == block) ?? throw new ArgumentException($"There is no block '{block}'.", nameof(block));
        Remember();
        var id = UniqueId(block);
        var node = new JsonObject { ["id"] = id, ["block"] = block, ["config"] = StartingConfig(descriptor, id) };
        NodesArray().Add(node);
        _positions[id] = at;
        _selection.Clear();
        _selection.Add(id);
        Refresh();
        return id;
    }

    public void MoveNodes(IEnumerable<string> ids, double dx, double dy)
    {
        var moving = ids.Where(_positions.ContainsKey).ToList();
        if (moving.Count == 0 || (dx == 0 && dy == 0))
        {
            return;
        }

        Remember();
        foreach (var id in moving)
        {
            _positions[id] = _positions[id].Offset(dx, dy);
        }

        Refresh();
    }

    /// <summary>Draws an edge; returns why it was refused (see <see cref="ConnectionRules"/>), or null when it was drawn.</summary>
    public string? Connect(PortRef from, PortRef to)
    {
        if (ConnectionRules.Refusal(Sketch, _blocks, from, to) is { } refusal)
        {
            return refusal;
        }

        if (to.Port == PortRef.NewInput)
        {
            to = to with { Port = NewInputName(to.Node, from.Node) };
        }

        Remember();
        EdgesArray().Add(new JsonObject { ["from"] = from.ToString(), ["to"] = to.ToString() });
        Refresh();
        return null;
    }

    /// <summary>Removes the edge at <paramref name="index"/> of the graph's edges.</summary>
    public void Disconnect(int index)
    {
        if (_root["edges"] is JsonArray edges && index >= 0 && index < edges.Count)
        {
            Remember();
            edges.RemoveAt(index);
            Refresh();
        }
    }

    /// <summary>Selects one node (or toggles it into the selection when <paramref name="add"/>); null clears the selection.</summary>
    public void Select(string? id, bool add = false)
    {
        if (!add)
        {
            _selection.Clear();
        }

        if (id is not null && (!add || !_selection.Remove(id)))
        {
            _selection.Add(id);
        }

        Revision++;
    }

    /// <summary>Selects every node the rubber band touches (adding to the selection when <paramref name="add"/>).</summary>
    public void SelectArea(CanvasArea area, bool add = false)
    {
        if (!add)
        {
            _selection.Clear();
        }

        foreach (var node in Sketch.Nodes)
        {
            var (width, height) = SizeOf(node);
            if (area.Touches(PositionOf(node.Id), width, height))
            {
                _selection.Add(node.Id);
            }
        }

        Revision++;
    }

    /// <summary>Deletes the selected nodes and every edge that touches them.</summary>
    public void DeleteSelection()
    {
        if (_selection.Count == 0)
        {
            return;
        }

        Remember();
        RemoveWhere(NodesArray(), node => _selection.Contains(Text(node, "id") ?? ""));
        RemoveWhere(EdgesArray(), edge => Touches(edge, _selection));
        foreach (var id in _selection)
        {
            _positions.Remove(id);
        }

        _selection.Clear();
        Refresh();
    }

    /// <summary>Renames a node everywhere (its edges follow); returns why not, or null when renamed.</summary>
    public string? Rename(string id, string newId)
    {
        if (newId == id)
        {
            return null;
        }

        if (!IdPattern().IsMatch(newId))
        {
            return "Use 1 to 64 letters, digits, '_' or '-'.";
        }

        if (Node(newId) is not null)
        {
            return $"Node id '{newId}' is already used.";
        }

        Remember();
        foreach (var node in NodesArray().OfType<JsonObject>().Where(n => Text(n, "id") == id))
        {
            node["id"] = newId;
        }

        foreach (var edge in EdgesArray().OfType<JsonObject>())
        {
            foreach (var end in new[] { "from", "to" })
            {
                if (PortRef.Parse(Text(edge, end)) is { } port && port.Node == id)
                {
                    edge[end] = (port with { Node = newId }).ToString();
                }
            }
        }

        if (_positions.Remove(id, out var point))
        {
            _positions[newId] = point;
        }

        if (_selection.Remove(id))
        {
            _selection.Add(newId);
        }

        Refresh();
        return null;
    }

    /// <summary>
    /// Sets (or, with null, removes) one property of a node's config. Typing into one field is one step of the undo
    /// history, not one per key.
    /// </summary>
    public void SetConfig(string id, string property, JsonNode? value)
    {
        if (NodesArray().OfType<JsonObject>().FirstOrDefault(n => Text(n, "id") == id) is not { } node)
        {
            return;
        }

        var typing = $"{id}\n{property}";
        if (_typing != typing)
        {
            Remember();
            _typing = typing;
        }

        if (node["config"] is not JsonObject config)
        {
            node["config"] = config = [];
        }

        if (value is null)
        {
            config.Remove(property);
        }
        else
        {
            config[property] = value;
        }

        Refresh(keepTyping: true);
    }

    /// <summary>The selected nodes and the edges between them, as JSON for <see cref="Paste"/>.</summary>
    public string Copy()
    {
        var nodes = new JsonArray(NodesArray().OfType<JsonObject>().Where(n => _selection.Contains(Text(n, "id") ?? "")).Select(n => n.DeepClone()).ToArray());
        var edges = new JsonArray(EdgesArray().OfType<JsonObject>()
            .Where(e => PortRef.Parse(Text(e, "from")) is { } f && PortRef.Parse(Text(e, "to")) is { } t && _selection.Contains(f.Node) && _selection.Contains(t.Node))
            .Select(e => e.DeepClone()).ToArray());
        var positions = new JsonObject(_selection.Where(_positions.ContainsKey)
            .Select(id => KeyValuePair.Create(id, (JsonNode?)new JsonArray(_positions[id].X, _positions[id].Y))));
        return new JsonObject { ["nodes"] = nodes, ["edges"] = edges, ["positions"] = positions }.ToJsonString();
    }

    /// <summary>Adds copies of the copied nodes (each with a new id) and their edges, a little offset, and selects them.</summary>
    public void Paste(string copied)
    {
        if (ParseObject(copied) is not { } clip || clip["nodes"] is not JsonArray nodes || nodes.Count == 0)
        {
            return;
        }

        Remember();
        var renamed = new Dictionary<string, string>();
        _selection.Clear();
        foreach (var node in nodes.OfType<JsonObject>())
        {
            var oldId = Text(node, "id") ?? "node";
            var copy = (JsonObject)node.DeepClone();
            var newId = UniqueId(oldId);
            copy["id"] = newId;
            NodesArray().Add(copy);
            renamed[oldId] = newId;
            var place = clip["positions"]?[oldId] is JsonArray { Count: 2 } at
                ? new CanvasPoint(at[0]!.GetValue<double>(), at[1]!.GetValue<double>())
                : default;
            _positions[newId] = place.Offset(PasteOffset, PasteOffset);
            _selection.Add(newId);
        }

        foreach (var edge in (clip["edges"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (PortRef.Parse(Text(edge, "from")) is { } source && PortRef.Parse(Text(edge, "to")) is { } target
                && renamed.TryGetValue(source.Node, out var newSource) && renamed.TryGetValue(target.Node, out var newTarget))
            {
                EdgesArray().Add(new JsonObject
                {
                    ["from"] = (source with { Node = newSource }).ToString(),
                    ["to"] = (target with { Node = newTarget }).ToString(),
                });
            }
        }

        Refresh();
    }

    /// <summary>Places every node by <see cref="GraphLayout"/>: columns in the order the values flow.</summary>
    public void ArrangeAutomatically()
    {
        Remember();
        _positions = LaidOut();
        Refresh();
    }

    /// <summary>Takes the JSON view's text; returns why it can't be drawn (and keeps the draft as it was), or null.</summary>
    public string? ReplaceJson(string text)
    {
        JsonObject? root;
        try
        {
            root = ParseObject(text);
        }
        catch (JsonException exception)
        {
            return $"Not valid JSON at line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1}.";
        }

        if (root is null)
        {
            return "A graph is a JSON object: { \"nodes\": [...], \"edges\": [...] }.";
        }

        // Typing JSON is one step of the undo history until something else is edited.
        if (_typing != JsonTyping)
        {
            Remember();
            _typing = JsonTyping;
        }

        _root = root;
        Refresh(keepTyping: true);
        var laidOut = LaidOut();
        _positions = Sketch.Nodes.Select(n => n.Id).Distinct()
            .ToDictionary(id => id, id => _positions.TryGetValue(id, out var kept) ? kept : laidOut.GetValueOrDefault(id));
        _selection.IntersectWith(_positions.Keys);
        return null;
    }

    public void Undo() => Step(from: () => TakeLast(), to: _redo.Push);

    public void Redo() => Step(from: () => _redo.TryPop(out var next) ? next : null, to: snapshot => _undo.AddLast(snapshot));

    /// <summary>The names a template or expression field of the node can use: its connected inputs.</summary>
    public IReadOnlyList<string> ConnectedInputs(string id) =>
        Sketch.Edges.Where(e => e.ToNode == id).Select(e => e.ToPort).Distinct().ToList();

    private void Step(Func<Snapshot?> from, Action<Snapshot> to)
    {
        if (from() is not { } snapshot)
        {
            return;
        }

        to(Current());
        _root = ParseObject(snapshot.Json)!;
        _positions = new Dictionary<string, CanvasPoint>(snapshot.Positions);
        _selection.IntersectWith(_positions.Keys);
        _typing = null;
        Refresh();
    }

    private Snapshot? TakeLast()
    {
        if (_undo.Last is not { } last)
        {
            return null;
        }

        _undo.RemoveLast();
        return last.Value;
    }

    private Snapshot Current() => new(_root.ToJsonString(), new Dictionary<string, CanvasPoint>(_positions));

    /// <summary>Keeps the state before an edit, for undo; a new edit forgets what could be redone.</summary>
    private void Remember()
    {
        _undo.AddLast(Current());
        if (_undo.Count > HistoryDepth)
        {
            _undo.RemoveFirst();
        }

        _redo.Clear();
    }

    private void Refresh(bool keepTyping = false)
    {
        if (!keepTyping)
        {
            _typing = null;
        }

        Json = _root.ToJsonString(Indented);
        using var document = JsonDocument.Parse(Json);
        Sketch = GraphSketch.From(document.RootElement, _blocks);
        Revision++;
        Edits++;
    }

    private Dictionary<string, CanvasPoint> LaidOut() =>
        GraphLayout.Compute(Sketch).Boxes.ToDictionary(b => b.Node.Id, b => new CanvasPoint(b.X, b.Y));

    private JsonArray NodesArray() => ArrayOf("nodes");

    private JsonArray EdgesArray() => ArrayOf("edges");

    private JsonArray ArrayOf(string name)
    {
        if (_root[name] is not JsonArray array)
        {
            _root[name] = array = [];
        }

        return array;
    }

    /// <summary>The block's name (or a copied id without its number) and the first number not taken: template1, template2.</summary>
    private string UniqueId(string basis)
    {
        var stem = TrailingNumber().Replace(basis, "");
        stem = stem.Length == 0 ? "node" : stem;
        var taken = Sketch.Nodes.Select(n => n.Id).ToHashSet();
        for (var n = 1; ; n++)
        {
            var id = $"{stem}{n}";
            if (!taken.Contains(id))
            {
                return id;
            }
        }
    }

    /// <summary>A new input of <paramref name="node"/> is named after the node feeding it (<c>who</c>, then <c>who2</c>).</summary>
    private string NewInputName(string node, string source)
    {
        var taken = Sketch.Edges.Where(e => e.ToNode == node).Select(e => e.ToPort).ToHashSet();
        var stem = source.Replace('-', '_');
        var name = stem;
        for (var n = 2; taken.Contains(name); n++)
        {
            name = $"{stem}{n}";
        }

        return name;
    }

    /// <summary>A new node's config: a name (inputs, outputs) is its id; the other required settings start at their defaults.</summary>
    private static JsonObject StartingConfig(BlockDescriptor block, string id)
    {
        var config = new JsonObject();
        foreach (var field in ConfigFields.Of(block).Where(f => f.Required))
        {
            if (field.Name == "name" && field.Kind == ConfigFieldKind.Text)
            {
                config["name"] = id;
            }
            else if (field.Default is { } value)
            {
                config[field.Name] = JsonNode.Parse(value.GetRawText());
            }
        }

        return config;
    }

    private static bool Touches(JsonNode? edge, IReadOnlySet<string> nodes) =>
        new[] { "from", "to" }.Any(end => PortRef.Parse(Text(edge, end)) is { } port && nodes.Contains(port.Node));

    private static void RemoveWhere(JsonArray array, Func<JsonNode?, bool> predicate)
    {
        for (var i = array.Count - 1; i >= 0; i--)
        {
            if (predicate(array[i]))
            {
                array.RemoveAt(i);
            }
        }
    }

    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static JsonObject? ParseObject(string json) =>
        JsonNode.Parse(json, documentOptions: Lenient) as JsonObject;

    // The Api's rule for node ids (ARCHITECTURE.md); the Web references no Engine type.
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\d+$")]
    private static partial Regex TrailingNumber();
}
