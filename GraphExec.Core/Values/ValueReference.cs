using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphExec.Core.Values;

/// <summary>
/// What a <c>jsonb</c> column holds in place of a value kept in blob storage:
/// <c>{"$ref": "&lt;sha256 hex of the value's JSON&gt;", "bytes": N, "preview": "&lt;the first KiB of the JSON&gt;"}</c>.
/// It stands for a whole top-level value (an input, an output or a port), never for a part of one. It is unambiguous
/// because every top-level value that is an object with a <c>$ref</c> property is itself stored as a blob, whatever its
/// size (see <see cref="ValueOffload"/>): an object with <c>$ref</c> found at the top of a stored value is always a reference.
/// </summary>
/// <param name="Key">The SHA-256 of the value's JSON text, in lower-case hex: the last segment of the blob's name.</param>
/// <param name="Bytes">The length of the value's JSON text, in bytes.</param>
/// <param name="Preview">The start of the value's JSON text, up to <see cref="BlobOptions.PreviewBytes"/>.</param>
public sealed record ValueReference(string Key, long Bytes, string Preview)
{
    public const string RefProperty = "$ref";

    public const string BytesProperty = "bytes";

    public const string PreviewProperty = "preview";

    /// <summary>The link the Api adds to a reference it answers: where the whole value streams from.</summary>
    public const string HrefProperty = "href";

    /// <summary>A key is a SHA-256 in lower-case hex; anything else names no blob.</summary>
    public static bool IsKey(string key) => key.Length == 64 && key.All(char.IsAsciiHexDigitLower);

    /// <summary>Whether a top-level value must go to blob storage whatever its size, so that it is never taken for a reference.</summary>
    public static bool LooksLikeOne(JsonNode? value) => value is JsonObject obj && obj.ContainsKey(RefProperty);

    /// <summary>The reference a stored top-level value stands for, if it is one.</summary>
    public static ValueReference? From(JsonNode? value) =>
        value is JsonObject obj
        && obj.TryGetPropertyValue(RefProperty, out var key) && key?.GetValueKind() == JsonValueKind.String
        && obj.TryGetPropertyValue(BytesProperty, out var bytes) && bytes?.GetValueKind() == JsonValueKind.Number
            ? new ValueReference(
                key.GetValue<string>(),
                bytes.GetValue<long>(),
                obj.TryGetPropertyValue(PreviewProperty, out var preview) && preview?.GetValueKind() == JsonValueKind.String
                    ? preview.GetValue<string>() : "")
            : null;

    /// <summary>The reference as it is stored.</summary>
    public JsonObject ToJson() => new()
    {
        [RefProperty] = Key,
        [BytesProperty] = Bytes,
        [PreviewProperty] = Preview,
    };

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(RefProperty, Key);
        writer.WriteNumber(BytesProperty, Bytes);
        writer.WriteString(PreviewProperty, Preview);
        writer.WriteEndObject();
    }
}
