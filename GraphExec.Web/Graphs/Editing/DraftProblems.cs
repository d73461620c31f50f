using System.Text.Json;
using GraphExec.Contracts;
using GraphExec.Web.Api;

namespace GraphExec.Web.Graphs.Editing;

/// <summary>
/// What the canvas can tell at once, before the Api sees the draft: unknown blocks, required settings left empty,
/// values outside a choice. Each problem has the JSON pointer the Api would use, so that <see cref="GraphIssues"/>
/// places it on the node and the field as it places the Api's own.
/// </summary>
public static class DraftProblems
{
    public static IReadOnlyList<ValidationIssue> Find(GraphSketch sketch, IReadOnlyList<BlockDescriptor> blocks)
    {
        var issues = new List<ValidationIssue>();
        foreach (var node in sketch.Nodes)
        {
            if (blocks.FirstOrDefault(b => b.Name == node.Block) is not { } block)
            {
                issues.Add(new ValidationIssue($"/nodes/{node.Index}/block", "unknown_block", $"There is no block '{node.Block}'."));
                continue;
            }

            foreach (var field in ConfigFields.Of(block))
            {
                var pointer = $"/nodes/{node.Index}/config/{field.Name}";
                var value = node.Config is { ValueKind: JsonValueKind.Object } config && config.TryGetProperty(field.Name, out var v) ? v : (JsonElement?)null;
                if (field.Required && (value is null || value is { ValueKind: JsonValueKind.String } s && s.GetString()!.Length == 0))
                {
                    issues.Add(new ValidationIssue(pointer, "required", $"'{field.Name}' is required."));
                }
                else if (field.Options.Count > 0 && value is { } chosen && (chosen.ValueKind != JsonValueKind.String || !field.Options.Contains(chosen.GetString()!)))
                {
                    issues.Add(new ValidationIssue(pointer, "not_allowed", $"'{field.Name}' is one of {string.Join(", ", field.Options)}."));
                }
            }
        }

        return issues;
    }
}
