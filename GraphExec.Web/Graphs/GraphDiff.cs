using System.Text.Json;

namespace GraphExec.Web.Graphs;

public enum ChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>One difference between two versions: what (a node, an edge, a setting), where inside it, before and after.</summary>
public sealed record GraphChange(ChangeKind Kind, string Subject, string? Path, string? Before, string? After);

/// <summary>
/// Compares two versions of a graph as a person reads them: nodes by id (not by position), edges as connections, and
/// within a node each changed setting by its path.
/// </summary>
public static class GraphDiff
{
    public static IReadOnlyList<GraphChange> Compare(JsonElement before, JsonElement after)
    {
        var changes = new List<GraphChange>();
        foreach (var field in new[] { "name", "description" })
        {
            var (a, b) = (Property(before, field), Property(after, field));
            if (!Same(a, b))
            {
                changes.Add(new GraphChange(Kind(a, b), "graph", field, Show(a), Show(b)));
            }
        }

        var (oldNodes, newNodes) = (NodesById(before), NodesById(after));
        foreach (var (id, node) in newNodes.Where(n => !oldNodes.ContainsKey(n.Key)))
        {
            changes.Add(new GraphChange(ChangeKind.Added, $"node {id}", null, null, Show(node)));
        }

        foreach (var (id, node) in oldNodes.Where(n => !newNodes.ContainsKey(n.Key)))
        {
            changes.Add(new GraphChange(ChangeKind.Removed, $"node {id}", null, Show(node), null));
        }

        foreach (var (id, node) in newNodes.Where(n => oldNodes.ContainsKey(n.Key)))
        {
            CompareValues(oldNodes[id], node, "", $"node {id}", changes);
        }

        var (oldEdges, newEdges) = (Edges(before), Edges(after));
        changes.AddRange(newEdges.Except(oldEdges).Select(edge => new GraphChange(ChangeKind.Added, "edge", null, null, edge)));
        changes.AddRange(oldEdges.Except(newEdges).Select(edge => new GraphChange(ChangeKind.Removed, "edge", null, edge, null)));
        return changes;
    }

    private static void CompareValues(JsonElement? before, JsonElement? after, string path, string subject, List<GraphChange> changes)
    {
        if (Same(before, after))
        {
            return;
        }

        if (before is { ValueKind: JsonValueKind.Object } a && after is { ValueKind: JsonValueKind.Object } b)
        {
            var names = a.EnumerateObject().Select(p => p.Name).Union(b.EnumerateObject().Select(p => p.Name));
            foreach (var name in names)
            {
                CompareValues(Property(a, name), Property(b, name), path.Length == 0 ? name : $"{path}.{name}", subject, changes);
            }

            return;
        }

        changes.Add(new GraphChange(Kind(before, after), subject, path.Length == 0 ? null : path, Show(before), Show(after)));
    }

    private static ChangeKind Kind(JsonElement? before, JsonElement? after) =>
        before is null ? ChangeKind.Added : after is null ? ChangeKind.Removed : ChangeKind.Changed;

    private static bool Same(JsonElement? a, JsonElement? b) =>
        (a, b) switch
        {
            (null, null) => true,
            ({ } x, { } y) => JsonElement.DeepEquals(x, y),
            _ => false,
        };

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    private static string? Show(JsonElement? value) =>
        value is not { } element ? null : element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();

    private static Dictionary<string, JsonElement> NodesById(JsonElement graph)
    {
        var nodes = new Dictionary<string, JsonElement>();
        if (Property(graph, "nodes") is { ValueKind: JsonValueKind.Array } array)
        {
            foreach (var node in array.EnumerateArray())
            {
                if (Property(node, "id") is { ValueKind: JsonValueKind.String } id)
                {
                    nodes.TryAdd(id.GetString()!, node);
                }
            }
        }

        return nodes;
    }

    private static HashSet<string> Edges(JsonElement graph)
    {
        var edges = new HashSet<string>();
        if (Property(graph, "edges") is { ValueKind: JsonValueKind.Array } array)
        {
            foreach (var edge in array.EnumerateArray())
            {
                edges.Add($"{Show(Property(edge, "from"))} → {Show(Property(edge, "to"))}");
            }
        }

        return edges;
    }
}
