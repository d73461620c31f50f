using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GraphExec.Deployment.Tests;

/// <summary>
/// A compiled ARM template read the way ARM would unfold it: every module is a nested deployment whose template is
/// walked with the parameter values its caller passes. Expressions stay strings, except the plain references
/// <c>[variables('x')]</c> and <c>[parameters('x')]</c>, which are replaced by what they name.
/// </summary>
public sealed partial class ArmTemplate
{
    private readonly JsonObject _template;
    private readonly Dictionary<string, JsonNode?> _parameters;

    private ArmTemplate(JsonObject template, Dictionary<string, JsonNode?> parameters, string deployment)
    {
        _template = template;
        _parameters = parameters;
        Deployment = deployment;
    }

    /// <summary>The name of the module's deployment; empty for the main template.</summary>
    public string Deployment { get; }

    public JsonObject Template => _template;

    public static ArmTemplate Parse(string json) => new((JsonObject)JsonNode.Parse(json)!, [], "");

    /// <summary>This template and every nested one, depth first.</summary>
    public IEnumerable<ArmTemplate> AllTemplates()
    {
        yield return this;
        foreach (var deployment in OwnResources().Where(resource => Type(resource) == "Microsoft.Resources/deployments"))
        {
            var nested = (JsonObject)deployment["properties"]!["template"]!;
            var values = new Dictionary<string, JsonNode?>();
            if (deployment["properties"]!["parameters"] is JsonObject passed)
            {
                foreach (var (parameterName, parameter) in passed)
                {
                    values[parameterName] = Resolve(parameter?["value"]);
                }
            }

            var name = deployment["name"]!.GetValue<string>();
            foreach (var template in new ArmTemplate(nested, values, name).AllTemplates())
            {
                yield return template;
            }
        }
    }

    /// <summary>The resources of <paramref name="type"/> in this template and every nested one, resolved.</summary>
    public IEnumerable<(ArmTemplate Template, JsonObject Resource)> Resources(string type) =>
        AllTemplates().SelectMany(template => template.OwnResources()
            .Where(resource => Type(resource) == type && resource["existing"]?.GetValue<bool>() != true)
            .Select(resource => (template, (JsonObject)template.Resolve(resource)!)));

    /// <summary>The value the caller passed for <paramref name="name"/>, or its default.</summary>
    public JsonNode? Parameter(string name) =>
        _parameters.TryGetValue(name, out var value) ? value : Resolve(_template["parameters"]?[name]?["defaultValue"]);

    /// <summary>The parameters declared <c>@secure()</c>.</summary>
    public IEnumerable<string> SecureParameters() =>
        (_template["parameters"] as JsonObject ?? [])
            .Where(parameter => parameter.Value?["type"]?.GetValue<string>() is "securestring" or "secureObject")
            .Select(parameter => parameter.Key);

    public JsonNode? Resolve(JsonNode? node, int depth = 0)
    {
        if (depth > 20)
        {
            throw new InvalidOperationException("References nest too deep.");
        }

        switch (node)
        {
            case JsonObject obj:
                var resolvedObject = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    resolvedObject[key] = Resolve(value, depth + 1);
                }

                return resolvedObject;
            case JsonArray array:
                return new JsonArray(array.Select(item => Resolve(item, depth + 1)).ToArray());
            case JsonValue value when value.TryGetValue<string>(out var text) && PlainReference().Match(text) is { Success: true } match:
                return match.Groups["kind"].Value == "variables"
                    ? Resolve(_template["variables"]?[match.Groups["name"].Value], depth + 1)
                    : Parameter(match.Groups["name"].Value)?.DeepClone();
            default:
                return node?.DeepClone();
        }
    }

    private IEnumerable<JsonObject> OwnResources() => _template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject symbolic => symbolic.Select(resource => resource.Value).OfType<JsonObject>(),
        _ => [],
    };

    private static string? Type(JsonObject resource) => resource["type"]?.GetValue<string>();

    [GeneratedRegex(@"^\[(?<kind>variables|parameters)\('(?<name>[^']+)'\)\]$")]
    private static partial Regex PlainReference();
}
