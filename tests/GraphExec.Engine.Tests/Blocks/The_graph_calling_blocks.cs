using GraphExec.Engine;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Blocks;

public class The_graph_calling_blocks
{
    private static readonly Guid Double = Guid.Parse("6f1c2b7e-8d1a-4f7e-9a53-0d6f2c1b9e44");
    private static readonly Guid Loop = Guid.Parse("0b9e7c1a-3f52-4c1e-8d2a-5e6f7a8b9c0d");
    private static readonly Guid Fanout = Guid.Parse("5d2a9e41-7c3b-4b6e-a1f0-2e8d9c7b6a51");

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
            """)
        // A foreach of 50 items, each running this graph again, 64 at once: 50⁸ runs if nothing stops it.
        .Add(Fanout, 1, $$"""
            {
              "name": "Fanout",
              "nodes": [
                { "id": "items", "block": "constant", "config": { "value": [{{string.Join(", ", Enumerable.Range(1, 50))}}] } },
                { "id": "again", "block": "foreach",  "config": { "graph": "{{Fanout}}", "version": 1, "parallelism": 64 } }
              ],
              "edges": [{ "from": "items.value", "to": "again.items" }]
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
    public async Task Should_end_a_graph_whose_foreach_runs_itself_at_the_child_run_budget()
    {
        // None of its runs ends before the 10,000th starts: with the runs at once limited, that budget would stop it first.
        var engine = new GraphEngine(new ExecutionOptions { MaxChildRunsInFlight = int.MaxValue });

        var result = await TestGraphs.RunAsync(
            $$"""{ "name": "Start", "nodes": [{ "id": "start", "block": "subgraph", "config": { "graph": "{{Fanout}}", "version": 1 } }], "edges": [] }""",
            engine: engine, resolver: Resolver);

        Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Failed));
        Assert.That(result.Error!.Code, Is.EqualTo("budget_exceeded"));
        Assert.That(result.Error.Message, Is.EqualTo(
            "The execution went over its budget of 10,000 child graph runs (subgraph calls and foreach items, at any depth)."));
        Assert.That(result.Error.NodeId, Is.EqualTo("again"));
    }

    [Test]
    public async Task Should_end_an_execution_at_its_node_run_budget_counting_every_item()
    {
        var engine = new GraphEngine(new ExecutionOptions { MaxNodeRuns = 50 });

        var result = await TestGraphs.RunAsync(
            $$"""
            {
              "name": "Many",
              "nodes": [
                { "id": "items", "block": "constant", "config": { "value": [{{string.Join(", ", Enumerable.Range(1, 30))}}] } },
                { "id": "each",  "block": "foreach",  "config": { "graph": "{{Double}}", "version": 1, "parallelism": 1, "itemInput": "x" } }
              ],
              "edges": [{ "from": "items.value", "to": "each.items" }]
            }
            """,
            engine: engine, resolver: Resolver);

        Assert.That(result.Error?.Code, Is.EqualTo("budget_exceeded"));
        Assert.That(result.Error!.Message, Does.StartWith("The execution went over its budget of 50 node runs"));
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
