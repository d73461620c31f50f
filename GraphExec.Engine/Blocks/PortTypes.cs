using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphExec.Engine.Blocks;

/// <summary>Checks values against port types and names types in messages.</summary>
public static class PortTypes
{
    public static bool Accepts(this PortType type, JsonNode? value) => type switch
    {
        PortType.Any => true,
        PortType.Object => value is JsonObject,
        PortType.Array => value is JsonArray,
        PortType.String => value?.GetValueKind() == JsonValueKind.String,
        PortType.Number => value?.GetValueKind() == JsonValueKind.Number,
        PortType.Boolean => value?.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        _ => false,
    };

    /// <summary>The narrowest port type of a JSON value (null has none).</summary>
    public static PortType Of(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => PortType.Object,
        JsonValueKind.Array => PortType.Array,
        JsonValueKind.String => PortType.String,
        JsonValueKind.Number => PortType.Number,
        JsonValueKind.True or JsonValueKind.False => PortType.Boolean,
        _ => PortType.Any,
    };

    public static string Describe(this PortType type) => type switch
    {
        PortType.Object => "an object",
        PortType.Array => "an array",
        PortType.String => "a string",
        PortType.Number => "a number",
        PortType.Boolean => "a boolean",
        _ => "any value",
    };

    public static string DescribeValue(JsonNode? value) => value is null ? "null" : Of(value.GetValueKind()).Describe();
}
