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

    /// <summary>
    /// Five nodes in a line, one of them a short delay so that a watcher sees the run unfold: <c>{"who": "Ada"}</c> gives
    /// <c>welcome = "[Hello, Ada!]"</c>.
    /// </summary>
    public const string Welcome = """
        {
          "name": "Welcome",
          "nodes": [
            { "id": "who",   "block": "input",    "config": { "name": "who", "default": "world" } },
            { "id": "greet", "block": "template", "config": { "template": "Hello, {{who}}!" } },
            { "id": "wrap",  "block": "template", "config": { "template": "[{{text}}]" } },
            { "id": "pause", "block": "delay",    "config": { "milliseconds": 50 } },
            { "id": "out",   "block": "output",   "config": { "name": "welcome" } }
          ],
          "edges": [
            { "from": "who.value",   "to": "greet.who" },
            { "from": "greet.text",  "to": "wrap.text" },
            { "from": "wrap.text",   "to": "pause.value" },
            { "from": "pause.value", "to": "out.value" }
          ]
        }
        """;

    /// <summary>Waits <paramref name="milliseconds"/> (a cancellable delay block), then passes input <c>value</c> on as output <c>waited</c>.</summary>
    public static string Delay(int milliseconds) => $$"""
        {
          "name": "Delay",
          "nodes": [
            { "id": "value", "block": "input",  "config": { "name": "value", "default": "done" } },
            { "id": "wait",  "block": "delay",  "config": { "milliseconds": {{milliseconds}} } },
            { "id": "out",   "block": "output", "config": { "name": "waited" } }
          ],
          "edges": [
            { "from": "value.value", "to": "wait.value" },
            { "from": "wait.value",  "to": "out.value" }
          ]
        }
        """;
}
