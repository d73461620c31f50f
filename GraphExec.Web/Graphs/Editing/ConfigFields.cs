using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Web.Api;

namespace GraphExec.Web.Graphs.Editing;

/// <summary>How the side panel asks for one config setting.</summary>
public enum ConfigFieldKind
{
    /// <summary>One line of text.</summary>
    Text,

    /// <summary>Text over several lines: a template, an expression, a condition, a message.</summary>
    LongText,
    Number,
    Integer,
    Boolean,

    /// <summary>One of the schema's <c>enum</c> values, as a select.</summary>
    Choice,

    /// <summary>Any JSON value (an object, an array, a value of any type), typed as JSON.</summary>
    Json,
}

/// <summary>
/// One setting of a block's config as the schema describes it. <see cref="Suggests"/> marks text in which <c>{{name}}</c>
/// placeholders or expression variables name the node's inputs, so the panel offers those names and the secrets.
/// </summary>
public sealed record ConfigField(
    string Name, ConfigFieldKind Kind, bool Required, string? Help, JsonElement? Default, IReadOnlyList<string> Options, bool Suggests)
{
    /// <summary>The value as the field shows it ("" when not set).</summary>
    public string Show(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var text) && Kind is not ConfigFieldKind.Json => text,
        _ when Kind is ConfigFieldKind.Json => value.ToJsonString(GraphDraft.Indented),
        _ => value.ToJsonString(),
    };

    /// <summary>What the person typed as a config value: null to remove the setting, or why it can't be read.</summary>
    public (JsonNode? Value, string? Error) Read(string text)
    {
        if (string.IsNullOrWhiteSpace(text) && Kind is not (ConfigFieldKind.Text or ConfigFieldKind.LongText))
        {
            return (null, null);
        }

        switch (Kind)
        {
            case ConfigFieldKind.Text or ConfigFieldKind.LongText or ConfigFieldKind.Choice:
                return (text.Length == 0 ? null : JsonValue.Create(text), null);
            case ConfigFieldKind.Integer:
                return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole)
                    ? (JsonValue.Create(whole), null)
                    : (null, "Enter a whole number.");
            case ConfigFieldKind.Number:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? (JsonValue.Create(number), null)
                    : (null, "Enter a number such as 2 or 0.5.");
            case ConfigFieldKind.Boolean:
                return bool.TryParse(text, out var flag) ? (JsonValue.Create(flag), null) : (null, "Choose yes or no.");
            default:
                try
                {
                    return (JsonNode.Parse(text), null);
                }
                catch (JsonException)
                {
                    return (null, "Not valid JSON; text goes in double quotes: \"like this\".");
                }
        }
    }
}

/// <summary>Reads the fields of the side panel's form from a block's config schema (the catalogue's JSON Schema subset).</summary>
public static class ConfigFields
{
    private static readonly HashSet<string> LongTexts = ["template", "expression", "condition", "message", "body"];

    public static IReadOnlyList<ConfigField> Of(BlockDescriptor block)
    {
        var schema = block.ConfigSchema;
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var required = schema.TryGetProperty("required", out var names) && names.ValueKind == JsonValueKind.Array
            ? names.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!).ToHashSet()
            : [];
        return properties.EnumerateObject().Select(p => Field(p.Name, p.Value, required.Contains(p.Name), block)).ToList();
    }

    private static ConfigField Field(string name, JsonElement schema, bool required, BlockDescriptor block)
    {
        var options = schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array
            ? values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : [];
        var type = schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var kind = options.Count > 0 ? ConfigFieldKind.Choice : type switch
        {
            "string" when LongTexts.Contains(name) => ConfigFieldKind.LongText,
            "string" => ConfigFieldKind.Text,
            "integer" => ConfigFieldKind.Integer,
            "number" => ConfigFieldKind.Number,
            "boolean" => ConfigFieldKind.Boolean,
            _ => ConfigFieldKind.Json,
        };
        var help = schema.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        var fallback = schema.TryGetProperty("default", out var value) ? value.Clone() : (JsonElement?)null;
        var suggests = kind is ConfigFieldKind.Text or ConfigFieldKind.LongText or ConfigFieldKind.Json
            && (NodePorts.AcceptsNewInputs(block) || name is "url" or "headers" or "body");
        return new ConfigField(name, kind, required, help, fallback, options, suggests);
    }
}
