namespace GraphExec.Web.Graphs;

public sealed record GraphTemplate(string Key, string Title, string Description, string Json);

/// <summary>Graphs to start from; each runs as it is, with defaults for its inputs.</summary>
public static class GraphTemplates
{
    public static readonly IReadOnlyList<GraphTemplate> All =
    [
        new("blank", "Blank", "One input passed straight to one output: the smallest graph, ready to grow.", """
            {
              "name": "Untitled graph",
              "nodes": [
                { "id": "in",  "block": "input",  "config": { "name": "value", "default": "hello" } },
                { "id": "out", "block": "output", "config": { "name": "result" } }
              ],
              "edges": [
                { "from": "in.value", "to": "out.value" }
              ]
            }
            """),
        new("greeting", "Greeting", "A template fills a name into a sentence: input → template → output.", """
            {
              "name": "Greeting",
              "description": "Says hello to whoever you name.",
              "nodes": [
                { "id": "who",   "block": "input",    "config": { "name": "who", "type": "string", "default": "world" } },
                { "id": "greet", "block": "template", "config": { "template": "Hello, {{who}}!" } },
                { "id": "out",   "block": "output",   "config": { "name": "greeting" } }
              ],
              "edges": [
                { "from": "who.value",  "to": "greet.who" },
                { "from": "greet.text", "to": "out.value" }
              ]
            }
            """),
        new("order-routing", "Order routing", "A branch sends big orders to a phone call and the rest to a mail; a coalesce joins the paths.", """
            {
              "name": "Order routing",
              "description": "Orders over 1000 get a call, the others a mail.",
              "nodes": [
                { "id": "order", "block": "input",    "config": { "name": "order", "type": "object", "default": { "customer": "Ada", "total": 1250 } } },
                { "id": "big",   "block": "branch",   "config": { "condition": "[value.total] > 1000" } },
                { "id": "vip",   "block": "template", "config": { "template": "Call {{o.customer}} about their order." } },
                { "id": "usual", "block": "template", "config": { "template": "Mail {{o.customer}} a receipt." } },
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
            """),
        new("price", "Price with tax", "An expression computes a gross price from an order and a tax rate.", """
            {
              "name": "Price with tax",
              "nodes": [
                { "id": "order", "block": "input",      "config": { "name": "order", "type": "object", "default": { "total": 100 } } },
                { "id": "rate",  "block": "input",      "config": { "name": "rate", "type": "number", "default": 0.19 } },
                { "id": "gross", "block": "expression", "config": { "expression": "Round([order.total] * (1 + rate), 2)" } },
                { "id": "out",   "block": "output",     "config": { "name": "gross" } }
              ],
              "edges": [
                { "from": "order.value",  "to": "gross.order" },
                { "from": "rate.value",   "to": "gross.rate" },
                { "from": "gross.result", "to": "out.value" }
              ]
            }
            """),
        new("slow", "Slow steps", "Two delays before a greeting: long enough to watch it run live, or cancel it.", """
            {
              "name": "Slow steps",
              "nodes": [
                { "id": "who",    "block": "input",    "config": { "name": "who", "type": "string", "default": "world" } },
                { "id": "first",  "block": "delay",    "config": { "milliseconds": 1500 } },
                { "id": "second", "block": "delay",    "config": { "milliseconds": 1500 } },
                { "id": "greet",  "block": "template", "config": { "template": "Hello, {{who}}, at last!" } },
                { "id": "out",    "block": "output",   "config": { "name": "greeting" } }
              ],
              "edges": [
                { "from": "who.value",    "to": "first.value" },
                { "from": "first.value",  "to": "second.value" },
                { "from": "second.value", "to": "greet.who" },
                { "from": "greet.text",   "to": "out.value" }
              ]
            }
            """),
    ];
}
