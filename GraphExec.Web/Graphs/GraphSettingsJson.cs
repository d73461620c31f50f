using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphExec.Web.Graphs;

/// <summary>
/// Reads and changes the top-level <c>settings</c> of a graph's JSON, leaving everything else as it is, so that saving a
/// setting keeps the graph exactly as written.
/// </summary>
public static class GraphSettingsJson
{
    /// <summary>The graph's error handler (<c>settings.errorGraphId</c>), or null.</summary>
    public static Guid? ErrorGraphId(JsonElement definition) =>
        definition.ValueKind == JsonValueKind.Object
        && definition.TryGetProperty("settings", out var settings) && settings.ValueKind == JsonValueKind.Object
        && settings.TryGetProperty("errorGraphId", out var id) && id.ValueKind == JsonValueKind.String && Guid.TryParse(id.GetString(), out var handler)
            ? handler
            : null;

    /// <summary>
    /// The graph's JSON with <paramref name="handler"/> as its error handler, or without one when null; an emptied
    /// <c>settings</c> is left out.
    /// </summary>
    public static string WithErrorGraphId(JsonElement definition, Guid? handler)
    {
        var graph = JsonNode.Parse(definition.GetRawText())!.AsObject();
        var settings = graph["settings"] as JsonObject ?? new JsonObject();
        graph.Remove("settings");
        if (handler is { } id)
        {
            settings["errorGraphId"] = id.ToString();
        }
        else
        {
            settings.Remove("errorGraphId");
        }

        if (settings.Count > 0)
        {
            graph["settings"] = settings;
        }

        return graph.ToJsonString();
    }
}
