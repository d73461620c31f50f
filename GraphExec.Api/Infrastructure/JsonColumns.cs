using System.Text.Json;

namespace GraphExec.Api.Infrastructure;

/// <summary>Turns the <c>jsonb</c> columns, read as text, into JSON values of a response.</summary>
public static class JsonColumns
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static JsonElement? ParseOrNull(string? json) => json is null ? null : Parse(json);
}
