using System.Text.Json;
using GraphExec.Engine.Json;

namespace GraphExec.Engine.Graphs;

/// <summary>
/// Reads and writes the graph format without validating it. Untrusted input goes through
/// <see cref="Validation.GraphValidator"/>, which reports every problem instead of the first.
/// </summary>
public static class GraphJson
{
    public static string Serialize(GraphDefinition graph) =>
        JsonSerializer.Serialize(graph, GraphExecJsonContext.Default.GraphDefinition);

    public static byte[] SerializeToUtf8Bytes(GraphDefinition graph) =>
        JsonSerializer.SerializeToUtf8Bytes(graph, GraphExecJsonContext.Default.GraphDefinition);

    /// <exception cref="JsonException">The text is not a graph.</exception>
    public static GraphDefinition Deserialize(string json) =>
        JsonSerializer.Deserialize(json, GraphExecJsonContext.Default.GraphDefinition)
        ?? throw new JsonException("A graph cannot be null.");

    /// <exception cref="JsonException">The element is not a graph.</exception>
    public static GraphDefinition Deserialize(JsonElement json) =>
        JsonSerializer.Deserialize(json, GraphExecJsonContext.Default.GraphDefinition)
        ?? throw new JsonException("A graph cannot be null.");
}
