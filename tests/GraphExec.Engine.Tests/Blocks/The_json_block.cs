using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Blocks;

public class The_json_block
{
    [TestCase("""{ "operation": "get", "path": "a.b" }""", """{ "object": { "a": { "b": [1, 2] } } }""", "[1,2]")]
    [TestCase("""{ "operation": "get", "path": "a.b.1" }""", """{ "object": { "a": { "b": [1, 2] } } }""", "2")]
    [TestCase("""{ "operation": "get", "path": "a.c", "default": "none" }""", """{ "object": { "a": {} } }""", "\"none\"")]
    [TestCase("""{ "operation": "get" }""", """{ "object": { "a": 1 } }""", """{"a":1}""")]
    [TestCase("""{ "operation": "set", "path": "a.b" }""", """{ "object": { "a": { "x": 1 } }, "value": true }""", """{"a":{"x":1,"b":true}}""")]
    [TestCase("""{ "operation": "set", "path": "new.deep" }""", """{ "object": {}, "value": 1 }""", """{"new":{"deep":1}}""")]
    [TestCase("""{ "operation": "set", "path": "list.1" }""", """{ "object": { "list": [0] }, "value": 9 }""", """{"list":[0,9]}""")]
    [TestCase("""{ "operation": "merge", "path": "s" }""", """{ "object": { "s": { "a": 1, "n": { "x": 1 } } }, "value": { "b": 2, "n": { "y": 2 } } }""", """{"s":{"a":1,"n":{"x":1,"y":2},"b":2}}""")]
    [TestCase("""{ "operation": "merge" }""", """{ "object": { "a": [1] }, "value": { "a": [2] } }""", """{"a":[2]}""")]
    public async Task Should_work_on_the_document_at_the_path(string config, string inputs, string expected)
    {
        var node = await OneNode.RunAsync("json", config, inputs);

        Assert.That(node.Outputs["result"]!.ToJsonString(), Is.EqualTo(expected));
    }

    [Test]
    public async Task Should_leave_its_input_unchanged_when_setting()
    {
        const string graph = """
            {
              "name": "Copy",
              "nodes": [
                { "id": "doc", "block": "constant", "config": { "value": { "a": 1 } } },
                { "id": "one", "block": "constant", "config": { "value": 2 } },
                { "id": "set", "block": "json",     "config": { "operation": "set", "path": "a" } },
                { "id": "old", "block": "output",   "config": { "name": "old" } },
                { "id": "new", "block": "output",   "config": { "name": "new" } }
              ],
              "edges": [
                { "from": "doc.value", "to": "set.object" }, { "from": "one.value", "to": "set.value" },
                { "from": "doc.value", "to": "old.value" }, { "from": "set.result", "to": "new.value" }
              ]
            }
            """;

        var result = await TestGraphs.RunAsync(graph);

        Assert.That(result.Outputs["old"]!.ToJsonString(), Is.EqualTo("""{"a":1}"""));
        Assert.That(result.Outputs["new"]!.ToJsonString(), Is.EqualTo("""{"a":2}"""));
    }

    [Test]
    public async Task Should_fail_to_merge_something_that_is_not_an_object()
    {
        var node = await OneNode.RunAsync("json", """{ "operation": "merge" }""", """{ "object": {}, "value": 3 }""");

        Assert.That(node.Error!.Message, Is.EqualTo("'merge' needs an object at input 'value', not a number."));
    }
}
