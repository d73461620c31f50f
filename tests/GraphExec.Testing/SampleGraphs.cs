namespace GraphExec.Testing;

/// <summary>Graph documents that tests of every project send.</summary>
public static class SampleGraphs
{
    /// <summary>The example of ARCHITECTURE.md: <c>{"who": "Ada"}</c> gives <c>greeting = "Hello, Ada!"</c>.</summary>
    public const string Greeting = """
        {
          "name": "Greeting",
          "nodes": [
            { "id": "who",   "block": "input",    "config": { "name": "who", "default": "world" } },
            { "id": "greet", "block": "template", "config": { "template": "Hello, {{who}}!" } },
            { "id": "out",   "block": "output",   "config": { "name": "greeting" } }
          ],
          "edges": [
            { "from": "who.value",  "to": "greet.who" },
            { "from": "greet.text", "to": "out.value" }
          ]
        }
        """;
}
