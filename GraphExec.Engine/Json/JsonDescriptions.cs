using System.Text.Json;

namespace GraphExec.Engine.Json;

/// <summary>Words for JSON kinds in messages a person reads.</summary>
internal static class JsonDescriptions
{
    public static string Of(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
