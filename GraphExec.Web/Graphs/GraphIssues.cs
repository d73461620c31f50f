using GraphExec.Contracts;

namespace GraphExec.Web.Graphs;

/// <summary>A validation problem placed where a person looks for it: on a node (and a field of it), an edge, or the graph.</summary>
public sealed record PlacedIssue(ValidationIssue Issue, string? NodeId, string? Field, int? EdgeIndex);

/// <summary>Places the Api's issues (JSON pointers such as <c>/nodes/2/config/template</c>) on the sketch of the draft that was sent.</summary>
public static class GraphIssues
{
    public static IReadOnlyList<PlacedIssue> Place(IReadOnlyList<ValidationIssue> issues, GraphSketch? sketch) =>
        issues.Select(issue => Place(issue, sketch)).ToList();

    private static PlacedIssue Place(ValidationIssue issue, GraphSketch? sketch)
    {
        var segments = issue.Pointer.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToArray();
        if (segments is ["nodes", var index, .. var rest] && int.TryParse(index, out var nodeIndex))
        {
            var node = sketch?.Nodes.FirstOrDefault(n => n.Index == nodeIndex);
            return new PlacedIssue(issue, node?.Id ?? $"#{nodeIndex}", rest.Length == 0 ? null : string.Join('.', rest), null);
        }

        if (segments is ["edges", var edge, ..] && int.TryParse(edge, out var edgeIndex))
        {
            // An edge's problem belongs to the node it points into, when that node exists.
            var sketched = sketch?.Edges.FirstOrDefault(e => e.Index == edgeIndex);
            var target = sketched is not null && sketch!.Nodes.Any(n => n.Id == sketched.ToNode) ? sketched.ToNode : null;
            return new PlacedIssue(issue, target, target is null ? null : $"input {sketched!.ToPort}", edgeIndex);
        }

        return new PlacedIssue(issue, null, segments.Length == 0 ? null : string.Join('.', segments), null);
    }
}
