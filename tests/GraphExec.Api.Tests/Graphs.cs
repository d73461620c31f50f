using GraphExec.Testing;

namespace GraphExec.Api.Tests;

/// <summary>Graph documents the tests send.</summary>
public static class Graphs
{
    public const string Greeting = SampleGraphs.Greeting;

    /// <summary>Three problems at once: an unknown block, an edge to a missing node and a bad node id.</summary>
    public const string Broken = """
        {
          "name": "Broken",
          "nodes": [
            { "id": "a", "block": "constant", "config": { "value": 1 } },
            { "id": "b", "block": "tempalte", "config": {} },
            { "id": "bad id!", "block": "output", "config": { "name": "x" } }
          ],
          "edges": [
            { "from": "a.value", "to": "nowhere.value" }
          ]
        }
        """;

    public static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public static string Named(string name) => Greeting.Replace("\"Greeting\"", $"\"{name}\"", StringComparison.Ordinal);
}
