using System.Text.Encodings.Web;
using System.Text.Json;

namespace GraphExec.Cli.Infrastructure;

/// <summary>
/// JSON as the command line writes it, to the terminal and to graph files alike: indented by two spaces, non-ASCII
/// text as itself (a file, not HTML, so nothing needs escaping for a browser), property order as given.
/// </summary>
public static class JsonText
{
    public static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // The same bytes on every operating system, so that a file pulled on Windows and on Linux do not differ in git.
        NewLine = "\n",
    };

    /// <summary>One line, for a value in a table or a live event.</summary>
    public static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Format(JsonElement value) => JsonSerializer.Serialize(value, Indented);

    public static string Format<T>(T value) => JsonSerializer.Serialize(value, Indented);

    public static string Line(JsonElement value) => JsonSerializer.Serialize(value, Compact);

    /// <summary>A string property, or null when it is missing or not a string.</summary>
    public static string? Text(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>Any property as one line of text (a string as itself), or null when it is missing or null.</summary>
    public static string? Show(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : Line(value)
            : null;
}
