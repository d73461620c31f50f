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
    private readonly Func<NodeContext, JsonNode?> _render;

    private JsonTemplate(Func<NodeContext, JsonNode?> render) => _render = render;

    /// <summary>Compiles a JSON value, adding its variables to <paramref name="ports"/>; null after reporting errors.</summary>
    public static JsonTemplate? Parse(JsonElement json, VariablePorts ports, string pointer, ICollection<ConfigError> errors)
    {
        var before = errors.Count;
        var render = Compile(json, ports, pointer, errors);
        return errors.Count > before ? null : new JsonTemplate(render);
    }

    public JsonNode? Render(in NodeContext context) => _render(context);

    private static Func<NodeContext, JsonNode?> Compile(JsonElement json, VariablePorts ports, string pointer, ICollection<ConfigError> errors)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                var template = Template.Parse(json.GetString()!, ports, pointer, errors);
                if (template is null)
                {
                    return static _ => null;
                }

                return template.IsSingleValue
                    ? context => template.Evaluate(context)?.DeepClone()
                    : context => JsonValue.Create(template.Render(context));
            case JsonValueKind.Object:
                var properties = json.EnumerateObject()
                    .Select(property => (property.Name, Render: Compile(property.Value, ports, JsonPointer.Append(pointer, property.Name), errors)))
                    .ToArray();
                return context =>
                {
                    var obj = new JsonObject();
                    foreach (var (name, render) in properties)
                    {
                        obj[name] = render(context);
                    }

                    return obj;
                };
            case JsonValueKind.Array:
                var items = json.EnumerateArray()
                    .Select((item, index) => Compile(item, ports, JsonPointer.Append(pointer, index), errors))
                    .ToArray();
                return context => new JsonArray([.. items.Select(render => render(context))]);
            default:
                var constant = JsonValues.Parse(json);
                return _ => constant?.DeepClone();
        }
    }
}
