using GraphExec.Engine;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Engine;

/// <summary>
/// The budget an execution and its child graphs share: bytes of values produced, child runs at once, and the limits
/// of a request in place of the engine's. The node and child run budgets alone are in <c>The_graph_calling_blocks</c>.
/// </summary>
public class Keeping_an_execution_to_its_budget
{
    /// <summary>A value of 1,002 bytes as JSON: 1,000 letters and their quotes.</summary>
    private const long TextBytes = 1_002;

    private static readonly string Text = new('a', 1_000);

    private static readonly Guid Pad = Guid.Parse("3c7d1e92-5a4b-4f60-8e21-9b0c7d6e5f43");
    private static readonly Guid Wait = Guid.Parse("a41f6c0e-2d9b-4e73-b58a-1c2e3f4d5a6b");
    private static readonly Guid Inner = Guid.Parse("e8b25d7c-6f13-4a90-9c4e-7d8f0a1b2c3d");

    private static readonly InMemoryResolver Resolver = new InMemoryResolver()
        .Add(Pad, 1, $$"""
            {
              "name": "Pad",
              "nodes": [
                { "id": "pad", "block": "constant", "config": { "value": "{{Text}}" } },
                { "id": "out", "block": "output",   "config": { "name": "text" } }
              ],
              "edges": [{ "from": "pad.value", "to": "out.value" }]
            }
            """)
        .Add(Wait, 1, """
            { "name": "Wait", "nodes": [{ "id": "d", "block": "delay", "config": { "milliseconds": 600000 } }], "edges": [] }
            """)
        // Eight runs of Wait at once, each waiting ten minutes.
        .Add(Inner, 1, $$"""
            {
              "name": "Inner",
              "nodes": [
                { "id": "items", "block": "constant", "config": { "value": [1, 2, 3, 4, 5, 6, 7, 8] } },
                { "id": "inner", "block": "foreach",  "config": { "graph": "{{Wait}}", "version": 1, "parallelism": 8 } }
              ],
              "edges": [{ "from": "items.value", "to": "inner.items" }]
            }
            """);

    /// <summary>Three runs of Pad, one at a time: 8 node runs, 3 child runs, 1 at once, and a little over 6,000 bytes.</summary>
    private static readonly string ThreePads = $$"""
        {
          "name": "Three pads",
          "nodes": [
            { "id": "items", "block": "constant", "config": { "value": [1, 2, 3] } },
            { "id": "each",  "block": "foreach",  "config": { "graph": "{{Pad}}", "version": 1, "parallelism": 1 } }
          ],
          "edges": [{ "from": "items.value", "to": "each.items" }]
        }
        """;

    /// <summary>Two values of <see cref="TextBytes"/>; both nodes are ready at once and start in the order of the graph.</summary>
    private static readonly string TwoTexts = $$"""
        {
          "name": "Two texts",
          "nodes": [
            { "id": "first",  "block": "constant", "config": { "value": "{{Text}}" } },
            { "id": "second", "block": "constant", "config": { "value": "{{Text}}" } }
          ],
          "edges": []
        }
        """;

    [Test]
    public async Task Should_fail_the_node_that_goes_over_the_budget_of_bytes_produced()
    {
        var engine = new GraphEngine(new ExecutionOptions { MaxBytesProduced = 2 * TextBytes - 1 });

        var result = await TestGraphs.RunAsync(TwoTexts, engine: engine);

        var error = new ExecutionError(
            "budget_exceeded",
            "The execution went over its budget of 2,003 bytes of values produced (its subgraphs' and foreach items' included).",
            "second");
        Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Failed));
        Assert.That(result.Error, Is.EqualTo(error));
        Assert.That(result.Node("second").Error, Is.EqualTo(error));
        Assert.That(result.Node("second").Outputs, Is.Empty, "a value over the budget is not fired");
    }

    [Test]
    public async Task Should_run_a_graph_that_produces_exactly_its_budget_of_bytes()
    {
        var engine = new GraphEngine(new ExecutionOptions { MaxBytesProduced = 2 * TextBytes });

        var result = await TestGraphs.RunAsync(TwoTexts, engine: engine);

        Assert.That(result.Error, Is.Null);
        Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Succeeded));
    }

    [Test]
    public async Task Should_not_count_the_values_a_node_passes_on_from_its_inputs()
    {
        var engine = new GraphEngine(new ExecutionOptions { MaxBytesProduced = TextBytes });

        var result = await TestGraphs.RunAsync(
            $$"""
            {
              "name": "Passing on",
              "nodes": [
                { "id": "text", "block": "constant", "config": { "value": "{{Text}}" } },
                { "id": "a",    "block": "branch",   "config": {} },
                { "id": "b",    "block": "branch",   "config": {} },
                { "id": "c",    "block": "branch",   "config": {} },
                { "id": "out",  "block": "output",   "config": { "name": "text" } }
              ],
              "edges": [
                { "from": "text.value", "to": "a.value" }, { "from": "a.true", "to": "b.value" },
                { "from": "b.true", "to": "c.value" }, { "from": "c.true", "to": "out.value" }
              ]
            }
            """,
            engine: engine);

        Assert.That(result.Error, Is.Null);
        Assert.That(result.Outputs["text"]!.GetValue<string>(), Is.EqualTo(Text));
    }

    [Test]
    public async Task Should_count_the_bytes_produced_by_foreach_items()
    {
        // Nine items fit (9,018 bytes); the tenth goes over.
        var engine = new GraphEngine(new ExecutionOptions { MaxBytesProduced = 10_000 });

        var result = await TestGraphs.RunAsync(
            $$"""
            {
              "name": "Ten pads",
              "nodes": [
                { "id": "items", "block": "constant", "config": { "value": [{{string.Join(", ", Enumerable.Range(1, 10))}}] } },
                { "id": "each",  "block": "foreach",  "config": { "graph": "{{Pad}}", "version": 1, "parallelism": 1 } }
              ],
              "edges": [{ "from": "items.value", "to": "each.items" }]
            }
            """,
            engine: engine, resolver: Resolver);

        Assert.That(result.Error, Is.EqualTo(new ExecutionError(
            "budget_exceeded",
            "The execution went over its budget of 10,000 bytes of values produced (its subgraphs' and foreach items' included).",
            "pad")));
    }

    [Test]
    public async Task Should_end_an_execution_whose_foreach_items_run_a_foreach_over_its_child_runs_at_once()
    {
        // Two items running eight runs each: 18 runs at once. The eleventh to start is always one of Inner's.
        var engine = new GraphEngine(new ExecutionOptions { MaxChildRunsInFlight = 10 });
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var result = await TestGraphs.RunAsync(
            $$"""
            {
              "name": "Outer",
              "nodes": [
                { "id": "items", "block": "constant", "config": { "value": [1, 2] } },
                { "id": "outer", "block": "foreach",  "config": { "graph": "{{Inner}}", "version": 1, "parallelism": 2 } }
              ],
              "edges": [{ "from": "items.value", "to": "outer.items" }]
            }
            """,
            engine: engine, resolver: Resolver, cancellationToken: hangGuard.Token);

        Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Failed), "the runs wait ten minutes: only the budget ends them");
        Assert.That(result.Error, Is.EqualTo(new ExecutionError(
            "budget_exceeded",
            "The execution went over its budget of 10 child graph runs at once (subgraph calls and foreach items running together, at any depth).",
            "inner")));
    }

    [Test]
    public async Task Should_give_back_the_place_of_a_child_run_that_ended()
    {
        var engine = new GraphEngine(new ExecutionOptions { MaxChildRunsInFlight = 2 });

        var result = await TestGraphs.RunAsync(
            $$"""
            {
              "name": "Twenty pads",
              "nodes": [
                { "id": "items", "block": "constant", "config": { "value": [{{string.Join(", ", Enumerable.Range(1, 20))}}] } },
                { "id": "each",  "block": "foreach",  "config": { "graph": "{{Pad}}", "version": 1, "parallelism": 2 } }
              ],
              "edges": [{ "from": "items.value", "to": "each.items" }]
            }
            """,
            engine: engine, resolver: Resolver);

        Assert.That(result.Error, Is.Null);
        Assert.That(result.Node("each").Outputs["results"]!.AsArray(), Has.Count.EqualTo(20));
    }

    private static IEnumerable<TestCaseData> LowerLimits()
    {
        yield return new TestCaseData(new ExecutionLimits { MaxNodeRuns = 5 }, "5 node runs (")
            .SetArgDisplayNames("MaxNodeRuns");
        yield return new TestCaseData(new ExecutionLimits { MaxChildRuns = 2 }, "2 child graph runs (")
            .SetArgDisplayNames("MaxChildRuns");
        yield return new TestCaseData(new ExecutionLimits { MaxBytesProduced = 1_000 }, "1,000 bytes of values produced (")
            .SetArgDisplayNames("MaxBytesProduced");
        yield return new TestCaseData(new ExecutionLimits { MaxChildRunsInFlight = 0 }, "0 child graph runs at once (")
            .SetArgDisplayNames("MaxChildRunsInFlight");
    }

    [TestCaseSource(nameof(LowerLimits))]
    public async Task Should_hold_an_execution_to_the_lower_limits_of_its_request(ExecutionLimits limits, string budget)
    {
        var result = await TestGraphs.RunAsync(ThreePads, resolver: Resolver, limits: limits);

        Assert.That(result.Error?.Code, Is.EqualTo("budget_exceeded"));
        Assert.That(result.Error!.Message, Does.StartWith($"The execution went over its budget of {budget}"));
    }

    [Test]
    public async Task Should_let_an_execution_go_past_the_options_to_the_higher_limits_of_its_request()
    {
        var engine = new GraphEngine(new ExecutionOptions { MaxNodeRuns = 1, MaxChildRuns = 0, MaxBytesProduced = 1, MaxChildRunsInFlight = 0 });
        var limits = new ExecutionLimits { MaxNodeRuns = 8, MaxChildRuns = 3, MaxBytesProduced = 10_000, MaxChildRunsInFlight = 1 };

        var held = await TestGraphs.RunAsync(ThreePads, engine: engine, resolver: Resolver);
        var result = await TestGraphs.RunAsync(ThreePads, engine: engine, resolver: Resolver, limits: limits);

        Assert.That(held.Error?.Code, Is.EqualTo("budget_exceeded"), "the engine's options alone hold it");
        Assert.That(result.Error, Is.Null);
        Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Succeeded));
    }
}
