using GraphExec.Engine;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Engine;

public class Resuming_an_execution
{
    private const string Graph = """
        {
          "name": "Steps",
          "nodes": [
            { "id": "first",  "block": "count" },
            { "id": "gate",   "block": "branch" },
            { "id": "skipped", "block": "count" },
            { "id": "second", "block": "count" },
            { "id": "third",  "block": "count" },
            { "id": "out",    "block": "output", "config": { "name": "steps" } }
          ],
          "edges": [
            { "from": "first.value",  "to": "gate.value" },
            { "from": "gate.false",   "to": "skipped.in" },
            { "from": "gate.true",    "to": "second.in" },
            { "from": "second.value", "to": "third.in" },
            { "from": "third.value",  "to": "out.value" }
          ]
        }
        """;

    [Test]
    public async Task Should_not_run_again_the_nodes_that_finished()
    {
        var counter = new Counter { FailOn = "third" };
        var catalog = TestGraphs.Catalog.With(counter.Block());
        var plan = TestGraphs.Compile(Graph, catalog);
        var engine = new GraphEngine();
        var id = Guid.NewGuid();

        var crashed = await engine.RunAsync(plan, new ExecutionRequest { ExecutionId = id });
        counter.FailOn = null;
        var observer = new RecordingObserver();
        var resumed = await engine.RunAsync(plan, new ExecutionRequest
        {
            ExecutionId = id,
            CompletedNodes = crashed.Nodes,
            LastSequence = crashed.LastSequence,
            Observer = observer,
        });

        Assert.Multiple(() =>
        {
            Assert.That(crashed.Status, Is.EqualTo(ExecutionStatus.Failed));
            Assert.That(resumed.Status, Is.EqualTo(ExecutionStatus.Succeeded));
            Assert.That(counter.Runs, Is.EqualTo(new[] { "first", "second", "third", "third" }));
            Assert.That(resumed.Outputs["steps"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(resumed.Node("skipped").Status, Is.EqualTo(NodeStatus.Skipped));
            Assert.That(resumed.Node("second").Outputs["value"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(observer.Events[0].Sequence, Is.EqualTo(crashed.LastSequence + 1));
            Assert.That(observer.Steps, Is.EqualTo(new[]
            {
                "ExecutionStarted", "NodeStarted:third", "NodeCompleted:third", "NodeStarted:out", "NodeCompleted:out", "ExecutionCompleted",
            }));
        });
    }

    [Test]
    public async Task Should_announce_the_finished_nodes_first_when_asked_as_a_retry_does()
    {
        var counter = new Counter { FailOn = "third" };
        var plan = TestGraphs.Compile(Graph, TestGraphs.Catalog.With(counter.Block()));
        var engine = new GraphEngine();

        var failed = await engine.RunAsync(plan, new ExecutionRequest { ExecutionId = Guid.NewGuid() });
        counter.FailOn = null;
        var observer = new RecordingObserver();
        var retry = await engine.RunAsync(plan, new ExecutionRequest
        {
            ExecutionId = Guid.NewGuid(),
            CompletedNodes = failed.Nodes,
            AnnounceCompletedNodes = true,
            Observer = observer,
        });

        Assert.Multiple(() =>
        {
            Assert.That(retry.Status, Is.EqualTo(ExecutionStatus.Succeeded));
            Assert.That(counter.Runs, Is.EqualTo(new[] { "first", "second", "third", "third" }), "the finished nodes did not run again");
            Assert.That(observer.Events.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, observer.Events.Count).Select(i => (long)i)));
            Assert.That(observer.Steps[0], Is.EqualTo("ExecutionStarted"));
            Assert.That(observer.Steps.Skip(1).Take(4), Is.EquivalentTo(new[]
            {
                "NodeCompleted:first", "NodeCompleted:gate", "NodeSkipped:skipped", "NodeCompleted:second",
            }));
            Assert.That(observer.Steps.Skip(5), Is.EqualTo(new[]
            {
                "NodeStarted:third", "NodeCompleted:third", "NodeStarted:out", "NodeCompleted:out", "ExecutionCompleted",
            }));
            Assert.That(observer.Events.Single(e => e.NodeId == "second").Outputs!["value"]!.GetValue<int>(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Should_run_everything_when_nothing_finished()
    {
        var counter = new Counter();
        var plan = TestGraphs.Compile(Graph, TestGraphs.Catalog.With(counter.Block()));

        var result = await new GraphEngine().RunAsync(plan, new ExecutionRequest { ExecutionId = Guid.NewGuid(), CompletedNodes = [] });

        Assert.That(counter.Runs, Is.EqualTo(new[] { "first", "second", "third" }));
        Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Succeeded));
    }

    /// <summary>Fires how many nodes of its kind have run so far, and can be told to fail at one node.</summary>
    private sealed class Counter
    {
        public string? FailOn { get; set; }

        public List<string> Runs { get; } = [];

        public LambdaBlock Block() => new("count", ["in"], ["value"], context =>
        {
            Runs.Add(context.NodeId);
            if (context.NodeId == FailOn)
            {
                throw new InvalidOperationException("The worker died.");
            }

            context.SetOutput(0, Runs.Distinct().Count());
            return ValueTask.CompletedTask;
        });
    }
}
