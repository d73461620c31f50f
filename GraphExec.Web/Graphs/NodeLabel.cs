using GraphExec.Web.Api;

namespace GraphExec.Web.Graphs;

/// <summary>
/// What a node of the picture shows (its id, clipped to fit, over its block) and its accessible name, which starts with
/// those same words so that a person who says what they see can select it (WCAG 2.5.3, label in name).
/// </summary>
public static class NodeLabel
{
    private const int TitleLength = 20;

    /// <summary>The node's id as drawn: clipped with an ellipsis when longer than the box allows.</summary>
    public static string Title(SketchNode node) => Clip(node.Id, TitleLength);

    /// <summary>
    /// The block as drawn under the title, with a leading space: axe-core joins the picture's separate text elements
    /// without one ("greettemplate"), and the space does not show (collapsed at the start of the line).
    /// </summary>
    public static string Block(SketchNode node) => " " + node.Block;

    /// <summary>The drawn words first (title, block), then the full id if clipped, the status in a run and the problems.</summary>
    public static string AccessibleName(SketchNode node, NodeStatus? status, IReadOnlyList<PlacedIssue> issues)
    {
        var title = Title(node);
        var name = $"{title} {node.Block} block";
        if (title != node.Id)
        {
            name += $", id {node.Id}";
        }

        if (status is { } s)
        {
            name += $", {s}";
        }

        if (issues.Count > 0)
        {
            name += $", {issues.Count} problem{(issues.Count == 1 ? "" : "s")}: {string.Join("; ", issues.Select(i => i.Issue.Message))}";
        }

        return name;
    }

    public static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>What kind of block a node runs, for the colour of its header: io, flow, io-wait, graph, fail or value.</summary>
    public static string Category(string block) => block switch
    {
        "input" or "output" => "io",
        "branch" or "switch" or "coalesce" => "flow",
        "http" or "delay" => "io-wait",
        "subgraph" or "foreach" => "graph",
        "fail" => "fail",
        _ => "value",
    };
}
