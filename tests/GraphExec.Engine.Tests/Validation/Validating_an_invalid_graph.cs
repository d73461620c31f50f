using GraphExec.Engine.Tests.Support;
using GraphExec.Engine.Validation;

namespace GraphExec.Engine.Tests.Validation;

public class Validating_an_invalid_graph
{
    private static readonly string Input = """{ "id": "who", "block": "input", "config": { "name": "who" } }""";
    private static readonly string Greet = """{ "id": "greet", "block": "template", "config": { "template": "Hi {{who}}" } }""";
    private static readonly string Out = """{ "id": "out", "block": "output", "config": { "name": "greeting" } }""";
    private static readonly string Wired = """{ "from": "who.value", "to": "greet.who" }, { "from": "greet.text", "to": "out.value" }""";

    private static IEnumerable<TestCaseData> Cases()
    {
        // The document itself
        yield return Case("not JSON", "{ nodes: [] }", "", "invalid_json",
            "The graph is not valid JSON (line 1, character 3): 'n' is an invalid start of a property name. Expected a '\"'.");
        yield return Case("truncated", """{ "name": "x", "nodes": [""", "", "invalid_json",
            "The graph is not valid JSON (line 1, character 26): Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.");
        yield return Case("an array", "[]", "", "invalid_type", "A graph must be a JSON object, not an array.");
        yield return Case("U+0000 in a config", $$"""{ "name": "g", "nodes": [{{Input}}, {{Greet.Replace("Hi ", "Hi\\u0000", StringComparison.Ordinal)}}, {{Out}}], "edges": [{{Wired}}] }""",
            "/nodes/1/config/template", "invalid_value", "This text holds the character U+0000 (\\u0000), which PostgreSQL's jsonb cannot store.");
        yield return Case("an unpaired surrogate in the name", """{ "name": "g\ud800", "nodes": [], "edges": [] }""",
            "/name", "invalid_value", "This text holds an unpaired UTF-16 surrogate (such as \\ud800 alone), which is not Unicode text.");
        yield return Case("an unpaired surrogate in a property name", """{ "name": "g", "nodes": [], "edges": [], "x\udc00": 1 }""",
            "", "invalid_value", "A property name here holds an unpaired UTF-16 surrogate (such as \\ud800 alone), which is not Unicode text.");
        yield return Case("no name", $$"""{ "nodes": [{{Input}}], "edges": [] }""", "/name", "missing_property", "'name' is required.");
        yield return Case("empty name", $$"""{ "name": " ", "nodes": [{{Input}}], "edges": [] }""", "/name", "invalid_value", "The graph needs a name.");
        yield return Case("name is a number", $$"""{ "name": 7, "nodes": [{{Input}}], "edges": [] }""", "/name", "invalid_type", "'name' must be a string, not 7.");
        yield return Case("no edges", $$"""{ "name": "g", "nodes": [{{Input}}] }""", "/edges", "missing_property",
            "'edges' is required (an empty array when nothing is connected).");
        yield return Case("nodes is an object", """{ "name": "g", "nodes": {}, "edges": [] }""", "/nodes", "invalid_type", "'nodes' must be an array, not an object.");
        yield return Case("no nodes", """{ "name": "g", "nodes": [], "edges": [] }""", "/nodes", "invalid_value", "A graph needs at least one node.");
        yield return Case("unknown top-level property", $$"""{ "name": "g", "nodez": [], "nodes": [{{Input}}], "edges": [] }""", "/nodez", "unknown_property",
            "Unknown property 'nodez'. A graph has: name, description, nodes, edges, settings.");
        yield return Case("property twice", $$"""{ "name": "g", "name": "h", "nodes": [{{Input}}], "edges": [] }""", "/name", "invalid_value", "'name' appears twice.");

        // Nodes
        yield return Case("node is a string", """{ "name": "g", "nodes": ["who"], "edges": [] }""", "/nodes/0", "invalid_type", "A node must be a JSON object, not a string.");
        yield return Case("node without id", """{ "name": "g", "nodes": [{ "block": "input", "config": { "name": "a" } }], "edges": [] }""", "/nodes/0/id", "missing_property", "'id' is required.");
        yield return Case("node without block", """{ "name": "g", "nodes": [{ "id": "a" }], "edges": [] }""", "/nodes/0/block", "missing_property", "'block' is required.");
        yield return Case("id with a space", """{ "name": "g", "nodes": [{ "id": "my node", "block": "constant", "config": { "value": 1 } }], "edges": [] }""",
            "/nodes/0/id", "invalid_node_id", "'my node' is not a valid node id: use 1 to 64 letters, digits, '_' or '-'.");
        yield return Case("id too long", $$"""{ "name": "g", "nodes": [{ "id": "{{new string('a', 65)}}", "block": "constant", "config": { "value": 1 } }], "edges": [] }""",
            "/nodes/0/id", "invalid_node_id", $"'{new string('a', 65)}' is not a valid node id: use 1 to 64 letters, digits, '_' or '-'.");
        yield return Case("duplicate id", """{ "name": "g", "nodes": [{ "id": "a", "block": "constant", "config": { "value": 1 } }, { "id": "a", "block": "constant", "config": { "value": 2 } }], "edges": [] }""",
            "/nodes/1/id", "duplicate_node_id", "Node id 'a' is already used by /nodes/0.");
        yield return Case("misspelt block", """{ "name": "g", "nodes": [{ "id": "a", "block": "tempalte", "config": { "template": "x" } }], "edges": [] }""",
            "/nodes/0/block", "unknown_block", "There is no block 'tempalte'. Did you mean 'template'?");
        yield return Case("unknown block", """{ "name": "g", "nodes": [{ "id": "a", "block": "sql" }], "edges": [] }""",
            "/nodes/0/block", "unknown_block", "There is no block 'sql'. Blocks: branch, coalesce, constant, delay, expression, fail, foreach, http, input, json, output, subgraph, switch, template.");
        yield return Case("unknown node property", """{ "name": "g", "nodes": [{ "id": "a", "block": "constant", "config": { "value": 1 }, "retries": 3 }], "edges": [] }""",
            "/nodes/0/retries", "unknown_property", "Unknown property 'retries'. A node has: id, block, config, retry, timeoutMs, onError.");
        yield return Case("config is a string", """{ "name": "g", "nodes": [{ "id": "a", "block": "constant", "config": "1" }], "edges": [] }""",
            "/nodes/0/config", "invalid_type", "'config' must be an object, not \"1\".");
        yield return Case("fractional timeout", """{ "name": "g", "nodes": [{ "id": "a", "block": "constant", "config": { "value": 1 }, "timeoutMs": 1.5 }], "edges": [] }""",
            "/nodes/0/timeoutMs", "invalid_type", "'timeoutMs' must be a whole number, not 1.5.");
        yield return Case("zero timeout", """{ "name": "g", "nodes": [{ "id": "a", "block": "constant", "config": { "value": 1 }, "timeoutMs": 0 }], "edges": [] }""",
            "/nodes/0/timeoutMs", "invalid_value", "Must be between 1 and 86400000.");
        yield return Case("unknown onError", """{ "name": "g", "nodes": [{ "id": "a", "block": "constant", "config": { "value": 1 }, "onError": "ignore" }], "edges": [] }""",
            "/nodes/0/onError", "invalid_type", "'onError' must be \"fail\" or \"continue\", not \"ignore\".");
        yield return Case("too many attempts", """{ "name": "g", "nodes": [{ "id": "a", "block": "constant", "config": { "value": 1 }, "retry": { "maxAttempts": 11 } }], "edges": [] }""",
            "/nodes/0/retry/maxAttempts", "invalid_value", "Must be between 1 and 10.");
        yield return Case("unknown retry property", """{ "name": "g", "nodes": [{ "id": "a", "block": "constant", "config": { "value": 1 }, "retry": { "attempts": 2 } }], "edges": [] }""",
            "/nodes/0/retry/attempts", "unknown_property", "Unknown property 'attempts'. A retry policy has: maxAttempts, delayMs, backoffMultiplier, maxDelayMs, jitter.");

        // Configs
        yield return Case("missing config property", """{ "name": "g", "nodes": [{ "id": "t", "block": "template", "config": {} }], "edges": [] }""",
            "/nodes/0/config/template", "invalid_config", "'template' is required.");
        yield return Case("missing config", """{ "name": "g", "nodes": [{ "id": "t", "block": "template" }], "edges": [] }""",
            "/nodes/0/config/template", "invalid_config", "'template' is required.");
        yield return Case("config of the wrong type", """{ "name": "g", "nodes": [{ "id": "t", "block": "template", "config": { "template": 5 } }], "edges": [] }""",
            "/nodes/0/config/template", "invalid_config", "Expected a string, got a number.");
        yield return Case("unknown config property", """{ "name": "g", "nodes": [{ "id": "c", "block": "constant", "config": { "value": 1, "vaule": 2 } }], "edges": [] }""",
            "/nodes/0/config/vaule", "invalid_config", "Unknown property 'vaule'. Known properties: value.");
        yield return Case("unclosed placeholder", """{ "name": "g", "nodes": [{ "id": "t", "block": "template", "config": { "template": "Hello, {{who!" } }], "edges": [] }""",
            "/nodes/0/config/template", "invalid_config", "The '{{' at character 8 is never closed with '}}'.");
        yield return Case("placeholder that is not a path", """{ "name": "g", "nodes": [{ "id": "t", "block": "template", "config": { "template": "{{first name}}" } }], "edges": [] }""",
            "/nodes/0/config/template", "invalid_config", "'{{first name}}' at character 1 is not a variable: write a name, optionally followed by '.' and a property or index, as in {{user.name}}.");
        yield return Case("expression that does not parse", """{ "name": "g", "nodes": [{ "id": "e", "block": "expression", "config": { "expression": "a + (b * 2" } }], "edges": [] }""",
            "/nodes/0/config/expression", "invalid_config", "Not a valid expression: Parenthesis not closed. at position (1:11)");
        yield return Case("unknown function", """{ "name": "g", "nodes": [{ "id": "e", "block": "expression", "config": { "expression": "len(1)" } }], "edges": [] }""",
            "/nodes/0/config/expression", "invalid_config",
            "Unknown function len. Available: Abs, Acos, Asin, Atan, Atan2, Ceiling, Cos, EscapeLike, Exp, Floor, IEEERemainder, Ln, Log, Log10, Max, Min, Pow, Round, Sign, Sin, Sqrt, Tan, Truncate, if, ifs, in, isNull, isNullOrEmpty.");
        yield return Case("value out of range", """{ "name": "g", "nodes": [{ "id": "d", "block": "delay", "config": { "milliseconds": -1 } }], "edges": [] }""",
            "/nodes/0/config/milliseconds", "invalid_config", "Must be at least 0.");
        yield return Case("enum value", """{ "name": "g", "nodes": [{ "id": "j", "block": "json", "config": { "operation": "delete" } }], "edges": [] }""",
            "/nodes/0/config/operation", "invalid_config", "Expected one of \"get\", \"set\", \"merge\".");
        yield return Case("input name with a dot", """{ "name": "g", "nodes": [{ "id": "i", "block": "input", "config": { "name": "a.b" } }], "edges": [] }""",
            "/nodes/0/config/name", "invalid_config", "Use 1 to 64 letters, digits, '_' or '-'.");
        yield return Case("switch case named default", """{ "name": "g", "nodes": [{ "id": "s", "block": "switch", "config": { "cases": ["a", "default"] } }], "edges": [] }""",
            "/nodes/0/config/cases/1", "invalid_config", "'default' is the port for values that match no case; choose another case name.");
        yield return Case("repeated switch case", """{ "name": "g", "nodes": [{ "id": "s", "block": "switch", "config": { "cases": ["a", "a"] } }], "edges": [] }""",
            "/nodes/0/config/cases/1", "invalid_config", "\"a\" appears more than once.");
        yield return Case("graph id that is not a UUID", """{ "name": "g", "nodes": [{ "id": "s", "block": "subgraph", "config": { "graph": "billing", "version": 1 } }], "edges": [] }""",
            "/nodes/0/config/graph", "invalid_config", "Use the graph's id, a UUID.");
        yield return Case("version beyond any number of versions", """{ "name": "g", "nodes": [{ "id": "s", "block": "subgraph", "config": { "graph": "6f1c2b7e-8d1a-4f7e-9a53-0d6f2c1b9e44", "version": 99999999999 } }], "edges": [] }""",
            "/nodes/0/config/version", "invalid_config", "Must be at most 2147483647.");
        yield return Case("infinite backoff", """{ "name": "g", "nodes": [{ "id": "a", "block": "constant", "config": { "value": 1 }, "retry": { "backoffMultiplier": 1e999 } }], "edges": [] }""",
            "/nodes/0/retry/backoffMultiplier", "invalid_type", "'backoffMultiplier' must be a number, not 1e999.");
        yield return Case("http body on a GET", """{ "name": "g", "nodes": [{ "id": "h", "block": "http", "config": { "url": "https://example.com", "body": "x" } }], "edges": [] }""",
            "/nodes/0/config/body", "invalid_config", "A GET request has no body.");
        yield return Case("two inputs with one name", """{ "name": "g", "nodes": [{ "id": "a", "block": "input", "config": { "name": "x" } }, { "id": "b", "block": "input", "config": { "name": "x" } }], "edges": [] }""",
            "/nodes/1/config/name", "duplicate_name", "The graph already has an input named 'x' (node 'a').");

        // Edges
        yield return Case("endpoint without a port", $$"""{ "name": "g", "nodes": [{{Input}}, {{Greet}}, {{Out}}], "edges": [{ "from": "who", "to": "greet.who" }, { "from": "greet.text", "to": "out.value" }] }""",
            "/edges/0/from", "invalid_endpoint", "'who' is not an endpoint: write nodeId.port, as in 'greet.text'.");
        yield return Case("edge from an unknown node", $$"""{ "name": "g", "nodes": [{{Input}}, {{Greet}}, {{Out}}], "edges": [{ "from": "whom.value", "to": "greet.who" }, { "from": "greet.text", "to": "out.value" }] }""",
            "/edges/0/from", "unknown_node", "There is no node 'whom'.");
        yield return Case("edge to an unknown input", $$"""{ "name": "g", "nodes": [{{Input}}, {{Greet}}, {{Out}}], "edges": [{{Wired}}, { "from": "who.value", "to": "greet.name" }] }""",
            "/edges/2/to", "unknown_port", "Node 'greet' (template) has no input 'name'; its inputs are: who.");
        yield return Case("edge from an unknown output", $$"""{ "name": "g", "nodes": [{{Input}}, {{Greet}}, {{Out}}], "edges": [{ "from": "who.value", "to": "greet.who" }, { "from": "greet.txt", "to": "out.value" }] }""",
            "/edges/1/from", "unknown_port", "Node 'greet' (template) has no output 'txt'; its outputs are: text.");
        yield return Case("edge from a node without outputs", $$"""{ "name": "g", "nodes": [{{Input}}, {{Greet}}, {{Out}}, { "id": "o2", "block": "output", "config": { "name": "o2" } }], "edges": [{{Wired}}, { "from": "out.value", "to": "o2.value" }] }""",
            "/edges/2/from", "unknown_port", "Node 'out' (output) has no outputs.");
        yield return Case("error port without continue", $$"""{ "name": "g", "nodes": [{{Input}}, {{Greet}}, {{Out}}, { "id": "o2", "block": "output", "config": { "name": "problem" } }], "edges": [{{Wired}}, { "from": "greet.error", "to": "o2.value" }] }""",
            "/edges/2/from", "unknown_port", "Node 'greet' has an 'error' output only when it sets \"onError\": \"continue\".");
        yield return Case("input connected twice", $$"""{ "name": "g", "nodes": [{{Input}}, {{Greet}}, {{Out}}], "edges": [{{Wired}}, { "from": "who.value", "to": "out.value" }] }""",
            "/edges/2/to", "input_connected_twice", "Input 'out.value' is already connected by /edges/1; an input takes one edge (join paths with a coalesce node).");
        yield return Case("required input left unconnected", $$"""{ "name": "g", "nodes": [{{Input}}, {{Greet}}, {{Out}}], "edges": [{ "from": "greet.text", "to": "out.value" }] }""",
            "/nodes/1", "required_input_unconnected", "Input 'who' of node 'greet' is required, but no edge leads to it.");
        yield return Case("port types that differ", """
            { "name": "g", "nodes": [
                { "id": "t", "block": "template", "config": { "template": "x" } },
                { "id": "each", "block": "foreach", "config": { "graph": "6f1c2b7e-8d1a-4f7e-9a53-0d6f2c1b9e44", "version": 1 } }
              ], "edges": [{ "from": "t.text", "to": "each.items" }] }
            """, "/edges/0", "port_type_mismatch", "'t.text' gives a string, but 'each.items' takes an array.");
        yield return Case("a cycle", """
            { "name": "g", "nodes": [
                { "id": "a", "block": "coalesce", "config": { "inputs": ["in"] } },
                { "id": "b", "block": "coalesce", "config": { "inputs": ["in"] } },
                { "id": "c", "block": "coalesce", "config": { "inputs": ["in"] } }
              ], "edges": [{ "from": "a.value", "to": "b.in" }, { "from": "b.value", "to": "c.in" }, { "from": "c.value", "to": "a.in" }] }
            """, "/edges/2", "cycle", "These nodes form a cycle: a → b → c → a. A graph cannot loop; to repeat work, use a foreach node.");
        yield return Case("a node feeding itself", """
            { "name": "g", "nodes": [{ "id": "a", "block": "coalesce", "config": { "inputs": ["x", "y"] } }, { "id": "k", "block": "constant", "config": { "value": 1 } }],
              "edges": [{ "from": "k.value", "to": "a.x" }, { "from": "a.value", "to": "a.y" }] }
            """, "/edges/1", "cycle", "These nodes form a cycle: a → a. A graph cannot loop; to repeat work, use a foreach node.");
    }

    [TestCaseSource(nameof(Cases))]
    public void Should_name_the_location_and_the_problem(string json, string pointer, string code, string message)
    {
        var result = TestGraphs.Validator.Validate(json);

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Errors, Has.Count.EqualTo(1), () => string.Join("\n", result.Errors));
        Assert.That(result.Errors[0], Is.EqualTo(new ValidationError(pointer, code, message)));
    }

    [Test]
    public void Should_report_every_problem_at_once()
    {
        const string json = """
            { "name": "g",
              "nodes": [
                { "id": "a b", "block": "constant", "config": { "value": 1 } },
                { "id": "t", "block": "template", "config": { "template": "{{x" } },
                { "id": "o", "block": "output", "config": {} }
              ],
              "edges": [{ "from": "nowhere.value", "to": "o.value" }] }
            """;

        var result = TestGraphs.Validator.Validate(json);

        Assert.That(result.Errors.Select(e => e.Pointer), Is.EqualTo(new[]
        {
            "/nodes/0/id", "/nodes/1/config/template", "/nodes/2/config/name", "/edges/0/from",
        }));
    }

    [Test]
    public void Should_refuse_more_nodes_than_the_limit()
    {
        var validator = new GraphValidator(TestGraphs.Catalog, new GraphLimits { MaxNodes = 2 });
        const string json = """
            { "name": "g", "nodes": [
                { "id": "a", "block": "constant", "config": { "value": 1 } },
                { "id": "b", "block": "constant", "config": { "value": 1 } },
                { "id": "c", "block": "constant", "config": { "value": 1 } }], "edges": [] }
            """;

        var result = validator.Validate(json);

        Assert.That(result.Errors, Is.EqualTo(new[] { new ValidationError("/nodes", "too_many_nodes", "A graph has at most 2 nodes; this one has 3.") }));
    }

    [Test]
    public void Should_refuse_more_edges_than_the_limit()
    {
        var validator = new GraphValidator(TestGraphs.Catalog, new GraphLimits { MaxEdges = 1 });
        var json = $$"""{ "name": "g", "nodes": [{{Input}}, {{Greet}}, {{Out}}], "edges": [{{Wired}}] }""";

        var result = validator.Validate(json);

        Assert.That(result.Errors, Is.EqualTo(new[] { new ValidationError("/edges", "too_many_edges", "A graph has at most 1 edges; this one has 2.") }));
    }

    [Test]
    public void Should_refuse_a_config_over_the_size_limit()
    {
        var validator = new GraphValidator(TestGraphs.Catalog, new GraphLimits { MaxConfigBytes = 100 });
        var json = $$"""{ "name": "g", "nodes": [{ "id": "c", "block": "constant", "config": { "value": "{{new string('x', 200)}}" } }], "edges": [] }""";

        var result = validator.Validate(json);

        Assert.That(result.Errors, Is.EqualTo(new[] { new ValidationError("/nodes/0/config", "too_large", "The config is 215 bytes; the limit is 100 bytes.") }));
    }

    [Test]
    public void Should_refuse_a_document_over_the_size_limit()
    {
        var validator = new GraphValidator(TestGraphs.Catalog, new GraphLimits { MaxDocumentBytes = 10 });

        var result = validator.Validate("""{ "name": "a graph" }""");

        Assert.That(result.Errors, Is.EqualTo(new[] { new ValidationError("", "too_large", "The graph is 21 bytes; the limit is 10 bytes.") }));
    }

    private static TestCaseData Case(string name, string json, string pointer, string code, string message) =>
        new TestCaseData(json, pointer, code, message).SetName($"Should_report {name}");
}
