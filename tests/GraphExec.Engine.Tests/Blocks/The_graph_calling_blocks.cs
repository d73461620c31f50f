using GraphExec.Engine;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Blocks;

public class The_graph_calling_blocks
{
    private static readonly Guid Double = Guid.Parse("6f1c2b7e-8d1a-4f7e-9a53-0d6f2c1b9e44");
    private static readonly Guid Loop = Guid.Parse("0b9e7c1a-3f52-4c1e-8d2a-5e6f7a8b9c0d");

    private static readonly InMemoryResolver Resolver = new InMemoryResolver()
        .Add(Double, 1, """
            {
              "name": "Double",
              "nodes": [
                { "id": "x",    "block": "input",      "config": { "name": "x" } },
                { "id": "by",   "block": "input",      "config": { "name": "by", "default": 2 } },
                { "id": "mul",  "block": "expression", "config": { "expression": "x * by" } },
                { "id": "fail", "block": "branch",     "config": { "condition": "value < 0" } },
                { "id": "no",   "block": "fail",       "config": { "message": "Negative: {{x}}" } },
                { "id": "out",  "block": "output",     "config": { "name": "y" } }
              ],
              "edges": [
                { "from": "x.value", "to": "mul.x" }, { "from": "by.value", "to": "mul.by" }, { "from": "mul.result", "to": "out.value" },
                { "from": "x.value", "to": "fail.value" }, { "from": "fail.true", "to": "no.x" }
              ]
            }
            """)
        .Add(Loop, 1, $$"""
            {
              "name": "Loop",
              "nodes": [{ "id": "again", "block": "subgraph", "config": { "graph": "{{Loop}}", "version": 1 } }],
              "edges": []
            }
            """);

    [Test]
    public async Task Should_run_a_subgraph_and_fire_its_outputs()
    {
        var node = await OneNode.RunAsync("subgraph", $$"""{ "graph": "{{Double}}", "version": 1, "inputs": ["x"], "outputs": ["y"] }""",
            """{ "x": 21 }""", resolver: Resolver);

        Assert.That(node.Error, Is.Null);
        Assert.That(node.Outputs["y"]!.ToJsonString(), Is.EqualTo("42"));
        Assert.That(node.Outputs["result"]!.ToJsonString(), Is.EqualTo("""{"y":42}"""));
    }

    [Test]
    public async Task Should_fail_when_the_subgraph_fails()
    {
        var node = await OneNode.RunAsync("subgraph", $$"""{ "graph": "{{Double}}", "version": 1, "inputs": ["x"] }""", """{ "x": -1 }""", resolver: Resolver);

        Assert.That(node.Error!.Message, Is.EqualTo($"Running graph {Double} version 1 ended Failed at node 'no': Negative: -1"));
    }

    [Test]
    public async Task Should_fail_for_a_graph_version_that_does_not_exist()
    {
        var node = await OneNode.RunAsync("subgraph", $$"""{ "graph": "{{Double}}", "version": 9 }""", resolver: Resolver);

        Assert.That(node.Error!.Message, Is.EqualTo($"There is no graph {Double} version 9."));
    }

    [Test]
    public async Task Should_stop_a_graph_that_runs_itself()
    {
        var node = await OneNode.RunAsync("subgraph", $$"""{ "graph": "{{Loop}}", "version": 1 }""", resolver: Resolver);

        Assert.That(node.Error!.Message, Does.EndWith("Graphs nest more than 8 levels deep: does a graph run itself?"));
    }

    [Test]
    public async Task Should_run_the_graph_once_per_item_and_keep_the_order()
    {
        var node = await OneNode.RunAsync("foreach", $$"""{ "graph": "{{Double}}", "version": 1, "parallelism": 3, "itemInput": "x" }""",
            """{ "items": [1, 2, 3, 4, 5], "with": { "by": 10 } }""", resolver: Resolver);

        Assert.That(node.Error, Is.Null);
        Assert.That(node.Outputs["results"]!.ToJsonString(), Is.EqualTo("""[{"y":10},{"y":20},{"y":30},{"y":40},{"y":50}]"""));
    }

    [Test]
    public async Task Should_fail_foreach_naming_the_item_that_failed()
    {
        var node = await OneNode.RunAsync("foreach", $$"""{ "graph": "{{Double}}", "version": 1, "parallelism": 1, "itemInput": "x" }""",
            """{ "items": [1, -2, 3] }""", resolver: Resolver);

        Assert.That(node.Error!.Message, Is.EqualTo($"Item 1: Running graph {Double} version 1 ended Failed at node 'no': Negative: -2"));
    }

    [Test]
    public async Task Should_run_no_more_items_at_once_than_the_parallelism()
    {
        var clock = new ManualClock();
        var wait = Guid.NewGuid();
        var resolver = new InMemoryResolver().Add(wait, 1, """
            { "name": "Wait", "nodes": [{ "id": "d", "block": "delay", "config": { "milliseconds": 1000 } }], "edges": [] }
            """);
        var run = OneNode.RunAsync("foreach", $$"""{ "graph": "{{wait}}", "version": 1, "parallelism": 2 }""", """{ "items": [1, 2, 3, 4] }""",
            new GraphEngine(timeProvider: clock), resolver);

        // Two waves of two runs, each wave waiting one second.
        for (var wave = 0; wave < 2; wave++)
        {
            await clock.NextTimersAsync(2);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        var node = await run;
        Assert.That(node.Status, Is.EqualTo(NodeStatus.Succeeded));
        Assert.That(node.FinishedAt - node.StartedAt, Is.EqualTo(TimeSpan.FromSeconds(2)));
    }
}
