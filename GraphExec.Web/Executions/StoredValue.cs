using System.Globalization;
using System.Text.Json;

namespace GraphExec.Web.Executions;

/// <summary>
/// One top-level value of a stored object (an execution's or a node's inputs or outputs): a small one whole, a large one
/// by the reference the Api and live events carry instead (size and the start of its JSON), to load whole on request.
/// </summary>
public sealed record StoredValue(string Name, JsonElement Value, LargeValue? Large)
{
    /// <summary>
    /// The object's values one by one when any of them is large, so that each large one can be loaded on its own; null
    /// when none is (nearly always), and the object is shown whole as before.
    /// </summary>
    public static IReadOnlyList<StoredValue>? Split(JsonElement? values)
    {
        if (values is not { ValueKind: JsonValueKind.Object } obj || !obj.EnumerateObject().Any(p => LargeValue.From(p.Value) is not null))
        {
            return null;
        }

        return [.. obj.EnumerateObject().Select(p => new StoredValue(p.Name, p.Value, LargeValue.From(p.Value)))];
    }
}

/// <summary>A value kept in blob storage: the hash that names it, its size in bytes of JSON, and its first bytes (the preview).</summary>
public sealed record LargeValue(string Key, long Bytes, string Preview)
{
    /// <summary>The reference <c>{"$ref", "bytes", "preview"}</c> (with an <c>href</c> from the Api), or null for any other value.</summary>
    public static LargeValue? From(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object
        && value.TryGetProperty("$ref", out var key) && key.ValueKind == JsonValueKind.String
        && value.TryGetProperty("bytes", out var bytes) && bytes.TryGetInt64(out var size)
        && value.TryGetProperty("preview", out var preview) && preview.ValueKind == JsonValueKind.String
            ? new LargeValue(key.GetString()!, size, preview.GetString()!)
            : null;

    /// <summary>The size for a person: bytes, KiB or MiB with one decimal.</summary>
    public string Size => Bytes switch
    {
        < 1024 => $"{Bytes} bytes",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{Bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Bytes / (1024.0 * 1024):0.0} MiB"),
    };
}
