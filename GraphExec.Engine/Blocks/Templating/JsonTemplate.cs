using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Engine.Json;

namespace GraphExec.Engine.Blocks.Templating;

/// <summary>
/// A JSON value whose strings are templates. A string that is a single placeholder (<c>"{{order}}"</c>)
/// becomes the variable's value with its JSON type; other strings render to text.
/// </summary>
public sealed class JsonTemplate
{
    private readonly Func<NodeContext, RenderBudget, JsonNode?> _render;

    private JsonTemplate(Func<NodeContext, RenderBudget, JsonNode?> render) => _render = render;

    /// <summary>Compiles a JSON value, adding its variables to <paramref name="ports"/>; null after reporting errors.</summary>
    public static JsonTemplate? Parse(JsonElement json, VariablePorts ports, string pointer, ICollection<ConfigError> errors)
    {
        var before = errors.Count;
        var render = Compile(json, ports, pointer, errors);
        return errors.Count > before ? null : new JsonTemplate(render);
    }

    /// <summary>The JSON, built against the value limit: rendering stops once the strings and values it holds are over it.</summary>
    public JsonNode? Render(in NodeContext context) => _render(context, new RenderBudget(context.MaxValueBytes));

    private static Func<NodeContext, RenderBudget, JsonNode?> Compile(JsonElement json, VariablePorts ports, string pointer, ICollection<ConfigError> errors)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                var template = Template.Parse(json.GetString()!, ports, pointer, errors);
                if (template is null)
                {
                    return static (_, _) => null;
                }

                return template.IsSingleValue
                    ? (context, budget) => budget.Clone(template.Evaluate(context))
                    : (context, budget) => JsonValue.Create(template.Render(context, budget));
            case JsonValueKind.Object:
                var properties = json.EnumerateObject()
                    .Select(property => (property.Name, Render: Compile(property.Value, ports, JsonPointer.Append(pointer, property.Name), errors)))
                    .ToArray();
                return (context, budget) =>
                {
                    var obj = new JsonObject();
                    foreach (var (name, render) in properties)
                    {
                        obj[name] = render(context, budget);
                    }

                    return obj;
                };
            case JsonValueKind.Array:
                var items = json.EnumerateArray()
                    .Select((item, index) => Compile(item, ports, JsonPointer.Append(pointer, index), errors))
                    .ToArray();
                return (context, budget) => new JsonArray([.. items.Select(render => render(context, budget))]);
            default:
                var constant = JsonValues.Parse(json);
                // A part of the config, which is bounded already.
                return (_, _) => constant?.DeepClone();
        }
    }
}
