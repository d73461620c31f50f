using System.Text;
using GraphExec.Engine;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Engine;

public class Running_a_large_graph
{
    [Test]
    public async Task Should_run_a_chain_of_ten_thousand_nodes()
    {
        var json = Chain(10_000);

        var result = await TestGraphs.RunAsync(json);

        Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Succeeded));
        Assert.That(result.Nodes, Has.Count.EqualTo(10_000));
        Assert.That(result.Nodes.Select(n => n.Status), Is.All.EqualTo(NodeStatus.Succeeded));
        Assert.That(result.Outputs["value"]!.GetValue<int>(), Is.EqualTo(42));
    }

    [Test]
    public void Should_refuse_one_node_more_than_the_limit()
    {
        var result = TestGraphs.Validator.Validate(Chain(10_001));

        Assert.That(result.Errors.Single().Code, Is.EqualTo("too_many_nodes"));
    }

    /// <summary>A constant, then pass-through nodes, then an output: <paramref name="count"/> nodes in all.</summary>
    private static string Chain(int count)
    {
        var nodes = new StringBuilder("""{ "id": "n0", "block": "constant", "config": { "value": 42 } }""");
        var edges = new StringBuilder();
        for (var i = 1; i < count - 1; i++)
        {
            nodes.Append($$""", { "id": "n{{i}}", "block": "coalesce", "config": { "inputs": ["in"] } }""");
            edges.Append(i == 1 ? string.Empty : ", ").Append($$"""{ "from": "n{{i - 1}}.value", "to": "n{{i}}.in" }""");
        }

        nodes.Append(""", { "id": "out", "block": "output", "config": { "name": "value" } }""");
        edges.Append($$""", { "from": "n{{count - 2}}.value", "to": "out.value" }""");
        return $$"""{ "name": "Chain", "nodes": [{{nodes}}], "edges": [{{edges}}] }""";
    }
}
