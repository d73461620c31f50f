namespace GraphExec.Web.Graphs;

public sealed record NodeBox(SketchNode Node, double X, double Y, double Width, double Height)
{
    public double InputY(string port) => PortY(Node.Inputs, port);

    public double OutputY(string port) => PortY(Node.Outputs, port);

    private double PortY(IReadOnlyList<string> ports, string port) =>
        Y + GraphLayout.HeaderHeight + GraphLayout.PortSpacing * (Math.Max(0, IndexOf(ports, port)) + 0.5) + GraphLayout.PortPadding;

    private static int IndexOf(IReadOnlyList<string> ports, string port)
    {
        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i] == port)
            {
                return i;
            }
        }

        return -1;
    }
}

public sealed record EdgePath(SketchEdge Edge, string D);

/// <summary>
/// A layered (Sugiyama-style) drawing: each node in the column after its longest chain of predecessors, columns
/// ordered by the mean position of each node's neighbours to keep edges short and uncrossed, edges as curves from an
/// output port to an input port.
/// </summary>
public sealed class GraphLayout
{
    public const double NodeWidth = 190;
    public const double HeaderHeight = 42;
    public const double PortSpacing = 22;
    public const double PortPadding = 4;
    private const double ColumnGap = 90;
    private const double RowGap = 28;
    private const double Margin = 24;

    private GraphLayout(IReadOnlyList<NodeBox> boxes, IReadOnlyList<EdgePath> edges, double width, double height)
    {
        Boxes = boxes;
        Edges = edges;
        Width = width;
        Height = height;
    }

    public IReadOnlyList<NodeBox> Boxes { get; }

    public IReadOnlyList<EdgePath> Edges { get; }

    public double Width { get; }

    public double Height { get; }

    public static GraphLayout Compute(GraphSketch sketch)
    {
        var ids = sketch.Nodes.Select(n => n.Id).Distinct().ToList();
        var known = ids.ToHashSet();
        var links = sketch.Edges.Where(e => known.Contains(e.FromNode) && known.Contains(e.ToNode) && e.FromNode != e.ToNode)
            .Select(e => (e.FromNode, e.ToNode)).Distinct().ToList();
        var layer = Layers(ids, links);

        var columns = ids.GroupBy(id => layer[id]).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        OrderColumns(columns, links);

        var nodeById = sketch.Nodes.GroupBy(n => n.Id).ToDictionary(g => g.Key, g => g.First());
        var heights = nodeById.ToDictionary(p => p.Key, p => NodeHeight(p.Value));
        var columnHeights = columns.Select(c => c.Sum(id => heights[id]) + RowGap * (c.Count - 1)).ToList();
        var height = (columnHeights.Count == 0 ? 0 : columnHeights.Max()) + 2 * Margin;

        var boxes = new List<NodeBox>();
        for (var c = 0; c < columns.Count; c++)
        {
            var x = Margin + c * (NodeWidth + ColumnGap);
            var y = Margin + (height - 2 * Margin - columnHeights[c]) / 2;
            foreach (var id in columns[c])
            {
                boxes.Add(new NodeBox(nodeById[id], x, y, NodeWidth, heights[id]));
                y += heights[id] + RowGap;
            }
        }

        var boxById = boxes.ToDictionary(b => b.Node.Id);
        var edges = sketch.Edges
            .Where(e => boxById.ContainsKey(e.FromNode) && boxById.ContainsKey(e.ToNode))
            .Select(e => new EdgePath(e, Curve(boxById[e.FromNode], e.FromPort, boxById[e.ToNode], e.ToPort)))
            .ToList();
        var width = columns.Count == 0 ? 2 * Margin : 2 * Margin + columns.Count * NodeWidth + (columns.Count - 1) * ColumnGap;
        return new GraphLayout(boxes, edges, width, Math.Max(height, 120));
    }

    private static double NodeHeight(SketchNode node) =>
        HeaderHeight + 2 * PortPadding + PortSpacing * Math.Max(1, Math.Max(node.Inputs.Count, node.Outputs.Count));

    /// <summary>Longest path from a source; nodes on a cycle (an invalid draft) go after everything reachable.</summary>
    private static Dictionary<string, int> Layers(List<string> ids, List<(string From, string To)> links)
    {
        var incoming = ids.ToDictionary(id => id, _ => 0);
        foreach (var (_, to) in links)
        {
            incoming[to]++;
        }

        var layer = ids.ToDictionary(id => id, _ => 0);
        var ready = new Queue<string>(ids.Where(id => incoming[id] == 0));
        var placed = new HashSet<string>();
        while (ready.Count > 0)
        {
            var id = ready.Dequeue();
            placed.Add(id);
            foreach (var (_, to) in links.Where(l => l.From == id))
            {
                layer[to] = Math.Max(layer[to], layer[id] + 1);
                if (--incoming[to] == 0)
                {
                    ready.Enqueue(to);
                }
            }
        }

        var last = layer.Count == 0 ? 0 : layer.Values.Max();
        foreach (var id in ids.Where(id => !placed.Contains(id)))
        {
            layer[id] = last + 1;
        }

        return layer;
    }

    /// <summary>Two sweeps of the barycentre heuristic, left to right then right to left.</summary>
    private static void OrderColumns(List<List<string>> columns, List<(string From, string To)> links)
    {
        for (var sweep = 0; sweep < 2; sweep++)
        {
            for (var c = 1; c < columns.Count; c++)
            {
                Reorder(columns[c], columns[c - 1], links.Select(l => (Node: l.To, Neighbour: l.From)));
            }

            for (var c = columns.Count - 2; c >= 0; c--)
            {
                Reorder(columns[c], columns[c + 1], links.Select(l => (Node: l.From, Neighbour: l.To)));
            }
        }
    }

    private static void Reorder(List<string> column, List<string> neighbours, IEnumerable<(string Node, string Neighbour)> links)
    {
        var position = neighbours.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => (double)p.i);
        var byNode = links.Where(l => position.ContainsKey(l.Neighbour)).GroupBy(l => l.Node)
            .ToDictionary(g => g.Key, g => g.Average(l => position[l.Neighbour]));
        var current = column.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => (double)p.i);
        var ordered = column.OrderBy(id => byNode.TryGetValue(id, out var mean) ? mean : current[id]).ThenBy(id => current[id]).ToList();
        column.Clear();
        column.AddRange(ordered);
    }

    private static string Curve(NodeBox from, string fromPort, NodeBox to, string toPort) =>
        Curve(from.X + from.Width, from.OutputY(fromPort), to.X, to.InputY(toPort));

    /// <summary>An edge's curve from an output port at (x1, y1) to an input port at (x2, y2), as SVG path data.</summary>
    public static string Curve(double x1, double y1, double x2, double y2)
    {
        var bend = Math.Max(40, Math.Abs(x2 - x1) / 2);
        return FormattableString.Invariant($"M{x1:0.#},{y1:0.#} C{x1 + bend:0.#},{y1:0.#} {x2 - bend:0.#},{y2:0.#} {x2:0.#},{y2:0.#}");
    }
}
