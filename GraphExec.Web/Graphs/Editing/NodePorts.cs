using System.Text.Json;
using System.Text.RegularExpressions;
using GraphExec.Web.Api;

namespace GraphExec.Web.Graphs.Editing;

/// <summary>
/// The ports a node offers on the canvas: what the picture draws (declared ports and those edges use), the variables
/// its templates name (so that <c>{{who}}</c> can be wired as soon as it is typed), and, for a block that takes inputs
/// by name, <see cref="PortRef.NewInput"/>.
/// </summary>
public static partial class NodePorts
{
    public static IReadOnlyList<string> Inputs(SketchNode node, BlockDescriptor? block)
    {
        var inputs = node.Inputs.ToList();
        foreach (var variable in TemplateVariables(node.Config).Where(v => !inputs.Contains(v)))
        {
            inputs.Add(variable);
        }

        if (AcceptsNewInputs(block))
        {
            inputs.Add(PortRef.NewInput);
        }

        return inputs;
    }

    public static IReadOnlyList<string> Outputs(SketchNode node) => node.Outputs;

    /// <summary>Whether the block takes inputs by the names its config uses (a template, an expression, a coalesce).</summary>
    public static bool AcceptsNewInputs(BlockDescriptor? block) => block?.ConfigInputs is not null;

    /// <summary>The names <c>{{name}}</c> and <c>{{name.path}}</c> use in the config's strings, other than <c>secrets</c>.</summary>
    public static IEnumerable<string> TemplateVariables(JsonElement? config)
    {
        if (config is not { ValueKind: JsonValueKind.Object } element)
        {
            return [];
        }

        return element.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.String)
            .SelectMany(p => Placeholder().Matches(p.Value.GetString()!).Select(m => m.Groups[1].Value))
            .Where(name => name != "secrets")
            .Distinct();
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_-]+)")]
    private static partial Regex Placeholder();
}
