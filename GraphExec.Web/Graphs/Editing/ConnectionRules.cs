using GraphExec.Web.Api;

namespace GraphExec.Web.Graphs.Editing;

/// <summary>
/// Which edges the canvas lets a person draw: from an existing output to an existing input of another node, once, into
/// an input nothing feeds yet, and never closing a cycle. The Api checks the same when saving; the canvas refuses
/// early so that a wrong edge never snaps.
/// </summary>
public static class ConnectionRules
{
    /// <summary>Why the edge may not be drawn, or null when it may.</summary>
    public static string? Refusal(GraphSketch sketch, IReadOnlyList<BlockDescriptor> blocks, PortRef from, PortRef to)
    {
        var source = sketch.Nodes.FirstOrDefault(n => n.Id == from.Node);
        var target = sketch.Nodes.FirstOrDefault(n => n.Id == to.Node);
        if (source is null || target is null)
        {
            return $"There is no node '{(source is null ? from.Node : to.Node)}'.";
        }

        if (!NodePorts.Outputs(source).Contains(from.Port))
        {
            return $"'{from.Node}' has no output '{from.Port}'.";
        }

        if (!NodePorts.Inputs(target, blocks.FirstOrDefault(b => b.Name == target.Block)).Contains(to.Port))
        {
            return $"'{to.Node}' has no input '{to.Port}'.";
        }

        if (from.Node == to.Node)
        {
            return "A node can't feed itself.";
        }

        if (to.Port != PortRef.NewInput && sketch.Edges.Any(e => e.ToNode == to.Node && e.ToPort == to.Port))
        {
            return sketch.Edges.Any(e => e.FromNode == from.Node && e.FromPort == from.Port && e.ToNode == to.Node && e.ToPort == to.Port)
                ? $"{from} and {to} are already connected."
                : $"Input {to} already has an edge; join paths with a coalesce node.";
        }

        return Reaches(sketch, to.Node, from.Node) ? $"{from} → {to} would close a cycle: '{from.Node}' already follows '{to.Node}'." : null;
    }

    /// <summary>Every input that <paramref name="from"/> may be connected to: the canvas highlights them while an edge is drawn.</summary>
    public static IReadOnlyList<PortRef> Targets(GraphSketch sketch, IReadOnlyList<BlockDescriptor> blocks, PortRef from) =>
        sketch.Nodes
            .SelectMany(node => NodePorts.Inputs(node, blocks.FirstOrDefault(b => b.Name == node.Block)).Select(port => new PortRef(node.Id, port)))
            .Where(to => Refusal(sketch, blocks, from, to) is null)
            .ToList();

    /// <summary>Whether a path of edges leads from <paramref name="start"/> to <paramref name="goal"/>.</summary>
    private static bool Reaches(GraphSketch sketch, string start, string goal)
    {
        var seen = new HashSet<string> { start };
        var pending = new Stack<string>([start]);
        while (pending.TryPop(out var node))
        {
            if (node == goal)
            {
                return true;
            }

            foreach (var next in sketch.Edges.Where(e => e.FromNode == node).Select(e => e.ToNode))
            {
                if (seen.Add(next))
                {
                    pending.Push(next);
                }
            }
        }

        return false;
    }
}
