using GraphExec.Engine;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Engine;

public class Running_a_branching_graph
{
    private const string Graph = """
        {
          "name": "Sizes",
          "nodes": [
            { "id": "n",      "block": "input",    "config": { "name": "n", "type": "number" } },
            { "id": "check",  "block": "branch",   "config": { "condition": "value > 10" } },
            { "id": "big",    "block": "template", "config": { "template": "{{n}} is big" } },
            { "id": "small",  "block": "template", "config": { "template": "{{n}} is small" } },
            { "id": "shout",  "block": "template", "config": { "template": "{{text}}!" } },
            { "id": "bigOut", "block": "output",   "config": { "name": "big" } },
            { "id": "smallOut", "block": "output", "config": { "name": "small" } }
          ],
          "edges": [
            { "from": "n.value",     "to": "check.value" },
            { "from": "check.true",  "to": "big.n" },
            { "from": "check.false", "to": "small.n" },
            { "from": "small.text",  "to": "shout.text" },
            { "from": "big.text",    "to": "bigOut.value" },
            { "from": "shout.text",  "to": "smallOut.value" }
          ]
        }
        """;

    [Test]
    public async Task Should_run_the_branch_taken()
    {
        var result = await TestGraphs.RunAsync(Graph, """{ "n": 20 }""");

        Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Succeeded));
        Assert.That(result.Outputs["big"]!.GetValue<string>(), Is.EqualTo("20 is big"));
    }

    [Test]
    public async Task Should_skip_the_branch_not_taken_and_everything_behind_it()
    {
        var result = await TestGraphs.RunAsync(Graph, """{ "n": 20 }""");

        Assert.Multiple(() =>
        {
            Assert.That(result.Node("small").Status, Is.EqualTo(NodeStatus.Skipped));
            Assert.That(result.Node("shout").Status, Is.EqualTo(NodeStatus.Skipped));
            Assert.That(result.Node("smallOut").Status, Is.EqualTo(NodeStatus.Skipped));
            Assert.That(result.Outputs.ContainsKey("small"), Is.False);
            Assert.That(result.Node("check").Outputs.Keys, Is.EqualTo(new[] { "true" }));
        });
    }

    [Test]
    public async Task Should_take_the_other_branch_for_other_inputs()
    {
        var result = await TestGraphs.RunAsync(Graph, """{ "n": 3 }""");

        Assert.That(result.Outputs["small"]!.GetValue<string>(), Is.EqualTo("3 is small!"));
        Assert.That(result.Node("big").Status, Is.EqualTo(NodeStatus.Skipped));
    }

    [Test]
    public async Task Should_announce_each_skipped_node()
    {
        var observer = new RecordingObserver();

        await TestGraphs.RunAsync(Graph, """{ "n": 20 }""", observer: observer);

        Assert.That(observer.Steps.Where(step => step.StartsWith("NodeSkipped", StringComparison.Ordinal)),
            Is.EqualTo(new[] { "NodeSkipped:small", "NodeSkipped:shout", "NodeSkipped:smallOut" }));
    }
}
