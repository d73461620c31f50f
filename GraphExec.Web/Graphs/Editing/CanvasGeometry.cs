using GraphExec.Web.Api;

namespace GraphExec.Web.Graphs.Editing;

/// <summary>A node as the canvas draws it: where it sits, how large it is, and its ports (see <see cref="NodePorts"/>).</summary>
public sealed record CanvasNode(SketchNode Node, BlockDescriptor? Block, CanvasPoint At, double Width, double Height, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs)
{
    public double InputY(string port) => PortY(Inputs, port);

    public double OutputY(string port) => PortY(Outputs, port);

    /// <summary>A port's height inside the box, the same rule as the picture's (<see cref="GraphLayout"/>).</summary>
    public static double PortY(IReadOnlyList<string> ports, string port) =>
        GraphLayout.HeaderHeight + GraphLayout.PortSpacing * (Math.Max(0, ports.ToList().IndexOf(port)) + 0.5) + GraphLayout.PortPadding;
}

/// <summary>An edge as the canvas draws it: its curve and its two ends in the graph's units.</summary>
public sealed record CanvasEdge(SketchEdge Edge, string D, CanvasPoint From, CanvasPoint To);

/// <summary>Where the canvas draws each node and edge of a draft.</summary>
public static class CanvasGeometry
{
    public static IReadOnlyList<CanvasNode> Nodes(GraphDraft draft) =>
        draft.Sketch.Nodes.DistinctBy(n => n.Id).Select(node =>
        {
            var (width, height) = draft.SizeOf(node);
            var block = draft.BlockOf(node);
            return new CanvasNode(node, block, draft.PositionOf(node.Id), width, height, NodePorts.Inputs(node, block), NodePorts.Outputs(node));
        }).ToList();

    public static IReadOnlyList<CanvasEdge> Edges(IReadOnlyList<CanvasNode> nodes, GraphSketch sketch)
    {
        var byId = nodes.ToDictionary(n => n.Node.Id);
        return sketch.Edges
            .Where(e => byId.ContainsKey(e.FromNode) && byId.ContainsKey(e.ToNode))
            .Select(e =>
            {
                var (source, target) = (byId[e.FromNode], byId[e.ToNode]);
                var from = new CanvasPoint(source.At.X + source.Width, source.At.Y + source.OutputY(e.FromPort));
                var to = new CanvasPoint(target.At.X, target.At.Y + target.InputY(e.ToPort));
                return new CanvasEdge(e, GraphLayout.Curve(from.X, from.Y, to.X, to.Y), from, to);
            })
            .ToList();
    }
}
