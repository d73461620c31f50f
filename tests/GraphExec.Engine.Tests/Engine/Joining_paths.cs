using GraphExec.Engine;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Engine;

public class Joining_paths
{
    private const string Graph = """
        {
          "name": "Join",
          "nodes": [
            { "id": "n",     "block": "input",    "config": { "name": "n" } },
            { "id": "check", "block": "branch",   "config": { "condition": "value > 10" } },
            { "id": "big",   "block": "template", "config": { "template": "big{{n}}" } },
            { "id": "small", "block": "template", "config": { "template": "small{{n}}" } },
            { "id": "join",  "block": "coalesce", "config": { "inputs": ["big", "small"] } },
            { "id": "both",  "block": "template", "config": { "template": "{{big}} and {{small}}" } },
            { "id": "out",   "block": "output",   "config": { "name": "size" } }
          ],
          "edges": [
            { "from": "n.value",     "to": "check.value" },
            { "from": "check.true",  "to": "big.n" },
            { "from": "check.false", "to": "small.n" },
            { "from": "big.text",    "to": "join.big" },
            { "from": "small.text",  "to": "join.small" },
            { "from": "big.text",    "to": "both.big" },
            { "from": "small.text",  "to": "both.small" },
            { "from": "join.value",  "to": "out.value" }
          ]
        }
        """;

    [TestCase(20, "big20")]
    [TestCase(3, "small3")]
    public async Task Should_run_a_coalesce_with_whichever_path_ran(int n, string expected)
    {
        var result = await TestGraphs.RunAsync(Graph, $$"""{ "n": {{n}} }""");

        Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Succeeded));
        Assert.That(result.Outputs["size"]!.GetValue<string>(), Is.EqualTo(expected));
    }

    [Test]
    public async Task Should_skip_a_node_that_needs_every_input_when_one_path_is_dead()
    {
        var result = await TestGraphs.RunAsync(Graph, """{ "n": 20 }""");

        Assert.That(result.Node("both").Status, Is.EqualTo(NodeStatus.Skipped));
        Assert.That(result.Node("join").Status, Is.EqualTo(NodeStatus.Succeeded));
    }

    [Test]
    public async Task Should_prefer_inputs_in_the_configured_order_when_several_have_values()
    {
        const string graph = """
            {
              "name": "Prefer",
              "nodes": [
                { "id": "a",    "block": "constant", "config": { "value": null } },
                { "id": "b",    "block": "constant", "config": { "value": "second" } },
                { "id": "c",    "block": "constant", "config": { "value": "third" } },
                { "id": "join", "block": "coalesce", "config": { "inputs": ["a", "b", "c"] } },
                { "id": "out",  "block": "output",   "config": { "name": "value" } }
              ],
              "edges": [
                { "from": "c.value", "to": "join.c" },
                { "from": "a.value", "to": "join.a" },
                { "from": "b.value", "to": "join.b" },
                { "from": "join.value", "to": "out.value" }
              ]
            }
            """;

        var result = await TestGraphs.RunAsync(graph);

        Assert.That(result.Outputs["value"]!.GetValue<string>(), Is.EqualTo("second"));
    }

    [Test]
    public async Task Should_skip_a_coalesce_when_every_input_is_dead()
    {
        const string graph = """
            {
              "name": "Nothing",
              "nodes": [
                { "id": "no",   "block": "constant", "config": { "value": false } },
                { "id": "gate", "block": "branch" },
                { "id": "join", "block": "coalesce", "config": { "inputs": ["x"] } },
                { "id": "out",  "block": "output",   "config": { "name": "value" } }
              ],
              "edges": [
                { "from": "no.value", "to": "gate.value" },
                { "from": "gate.true", "to": "join.x" },
                { "from": "join.value", "to": "out.value" }
              ]
            }
            """;

        var result = await TestGraphs.RunAsync(graph);

        Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Succeeded));
        Assert.That(result.Node("join").Status, Is.EqualTo(NodeStatus.Skipped));
        Assert.That(result.Node("out").Status, Is.EqualTo(NodeStatus.Skipped));
        Assert.That(result.Outputs, Is.Empty);
    }
}
