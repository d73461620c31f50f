using System.Text.Json;

namespace GraphExec.Core.Data;

/// <summary>Turns <c>jsonb</c> columns, read as text, into JSON values of a response (the Api's and the webhook ingress's).</summary>
public static class JsonColumns
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static JsonElement? ParseOrNull(string? json) => json is null ? null : Parse(json);
}
