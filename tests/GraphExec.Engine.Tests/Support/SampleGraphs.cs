namespace GraphExec.Engine.Tests.Support;

/// <summary>Graphs several scenarios share.</summary>
public static class SampleGraphs
{
    /// <summary>The greeting of the architecture document, with a required input.</summary>
    public const string Greeting = """
        {
          "name": "Greeting",
          "nodes": [
            { "id": "who",   "block": "input",    "config": { "name": "who" } },
            { "id": "greet", "block": "template", "config": { "template": "Hello, {{who}}!" } },
            { "id": "out",   "block": "output",   "config": { "name": "greeting" } }
          ],
          "edges": [
            { "from": "who.value",  "to": "greet.who" },
            { "from": "greet.text", "to": "out.value" }
          ]
        }
        """;

    /// <summary>The same greeting, its input defaulting to "world".</summary>
    public static readonly string GreetingWithDefault = Greeting.Replace(
        """{ "name": "who" }""", """{ "name": "who", "default": "world" }""", StringComparison.Ordinal);
}
