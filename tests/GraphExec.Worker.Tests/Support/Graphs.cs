namespace GraphExec.Worker.Tests.Support;

/// <summary>Graph JSON used across the tests.</summary>
public static class Graphs
{
    public const string Greeting = SampleGraphs.Greeting;

    public const string Failing = """
        {
          "name": "Failing",
          "nodes": [
            { "id": "order", "block": "input",  "config": { "name": "order" } },
            { "id": "stop",  "block": "fail",   "config": { "message": "Order {{o.id}} has no items." } },
            { "id": "out",   "block": "output", "config": { "name": "never" } }
          ],
          "edges": [
            { "from": "order.value", "to": "stop.o" },
            { "from": "order.value", "to": "out.value" }
          ]
        }
        """;

    public const string Branching = """
        {
          "name": "Branch",
          "nodes": [
            { "id": "order", "block": "input",    "config": { "name": "order" } },
            { "id": "big",   "block": "branch",   "config": { "condition": "[value.total] > 1000" } },
            { "id": "vip",   "block": "template", "config": { "template": "Call {{o.customer}}" } },
            { "id": "usual", "block": "template", "config": { "template": "Mail {{o.customer}}" } },
            { "id": "todo",  "block": "coalesce", "config": { "inputs": ["vip", "usual"] } },
            { "id": "out",   "block": "output",   "config": { "name": "todo" } }
          ],
          "edges": [
            { "from": "order.value", "to": "big.value" },
            { "from": "big.true",    "to": "vip.o" },
            { "from": "big.false",   "to": "usual.o" },
            { "from": "vip.text",    "to": "todo.vip" },
            { "from": "usual.text",  "to": "todo.usual" },
            { "from": "todo.value",  "to": "out.value" }
          ]
        }
        """;

    /// <summary>Waits, then passes <c>value</c> on as output <c>waited</c>.</summary>
    public static string Delay(int milliseconds) => SampleGraphs.Delay(milliseconds);

    /// <summary>A foreach of 50 items, each running this same graph (<paramref name="self"/>) again, 64 at once.</summary>
    public static string Fanout(Guid self) => $$"""
        {
          "name": "Fanout",
          "nodes": [
            { "id": "items", "block": "constant", "config": { "value": [{{string.Join(", ", Enumerable.Range(1, 50))}}] } },
            { "id": "again", "block": "foreach",  "config": { "graph": "{{self}}", "version": 1, "parallelism": 64 } }
          ],
          "edges": [{ "from": "items.value", "to": "again.items" }]
        }
        """;

    /// <summary>A template that repeats a 512 KiB constant 4,000 times: 2 GB, were it built before it was measured.</summary>
    public static string Amplifying => $$"""
        {
          "name": "Amplifying",
          "nodes": [
            { "id": "big", "block": "constant", "config": { "value": "{{new string('x', 512 * 1024)}}" } },
            { "id": "tpl", "block": "template", "config": { "template": "{{string.Concat(Enumerable.Repeat("{{big}}", 4_000))}}" } },
            { "id": "out", "block": "output",   "config": { "name": "text" } }
          ],
          "edges": [
            { "from": "big.value", "to": "tpl.big" },
            { "from": "tpl.text",  "to": "out.value" }
          ]
        }
        """;

    /// <summary>Runs <paramref name="child"/> (a greeting graph) as a subgraph, and once per name with foreach.</summary>
    public static string Calling(Guid child) => $$"""
        {
          "name": "Calling",
          "nodes": [
            { "id": "who",   "block": "input",    "config": { "name": "who" } },
            { "id": "names", "block": "input",    "config": { "name": "names", "type": "array" } },
            { "id": "one",   "block": "subgraph", "config": { "graph": "{{child}}", "version": 1, "inputs": ["who"], "outputs": ["greeting"] } },
            { "id": "each",  "block": "foreach",  "config": { "graph": "{{child}}", "version": 1, "itemInput": "who" } },
            { "id": "out",   "block": "output",   "config": { "name": "greeting" } },
            { "id": "all",   "block": "output",   "config": { "name": "all" } }
          ],
          "edges": [
            { "from": "who.value",     "to": "one.who" },
            { "from": "names.value",   "to": "each.items" },
            { "from": "one.greeting",  "to": "out.value" },
            { "from": "each.results",  "to": "all.value" }
          ]
        }
        """;
}
