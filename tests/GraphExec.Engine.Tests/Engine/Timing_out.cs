using GraphExec.Engine;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Engine;

public class Timing_out
{
    [Test]
    public async Task Should_fail_a_node_that_exceeds_its_timeout()
    {
        var clock = new ManualClock();
        const string graph = """
            { "name": "Slow", "nodes": [{ "id": "wait", "block": "delay", "config": { "milliseconds": 10000 }, "timeoutMs": 1000 }], "edges": [] }
            """;
        var run = TestGraphs.RunAsync(graph, engine: new GraphEngine(timeProvider: clock));

        var timers = await clock.NextTimersAsync(2);
        clock.Advance(TimeSpan.FromSeconds(1));
        var result = await run;

        Assert.Multiple(() =>
        {
            Assert.That(timers, Is.EquivalentTo(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10) }));
            Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Failed));
            Assert.That(result.Node("wait").Error, Is.EqualTo(new ExecutionError("node_timed_out", "The node did not finish within 1 s.", "wait")));
        });
    }

    [Test]
    public async Task Should_retry_an_attempt_that_timed_out()
    {
        var clock = new ManualClock();
        const string graph = """
            { "name": "Slow", "nodes": [{ "id": "wait", "block": "delay", "config": { "milliseconds": 10000 }, "timeoutMs": 1000,
                "retry": { "maxAttempts": 2, "delayMs": 500, "jitter": false } }], "edges": [] }
            """;
        var run = TestGraphs.RunAsync(graph, engine: new GraphEngine(timeProvider: clock));

        await clock.NextTimersAsync(2);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await clock.FireTimersAsync(1), Is.EqualTo(new[] { TimeSpan.FromMilliseconds(500) }));
        await clock.NextTimersAsync(2);
        clock.Advance(TimeSpan.FromSeconds(1));
        var result = await run;

        Assert.That(result.Node("wait").Attempts, Is.EqualTo(2));
        Assert.That(result.Node("wait").Error?.Code, Is.EqualTo("node_timed_out"));
    }

    [Test]
    public async Task Should_end_the_execution_as_timed_out_when_the_graph_takes_too_long()
    {
        var clock = new ManualClock();
        const string graph = """
            { "name": "Slow", "nodes": [{ "id": "wait", "block": "delay", "config": { "milliseconds": 600000 } }], "edges": [] }
            """;
        var run = TestGraphs.RunAsync(graph, engine: new GraphEngine(new ExecutionOptions { Timeout = TimeSpan.FromMinutes(1) }, clock));

        await clock.NextTimersAsync(2);
        clock.Advance(TimeSpan.FromMinutes(1));
        var result = await run;

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(ExecutionStatus.TimedOut));
            Assert.That(result.Error, Is.EqualTo(new ExecutionError("timed_out", "The execution did not finish within 60 s.")));
            Assert.That(result.Node("wait").Status, Is.EqualTo(NodeStatus.Cancelled));
        });
    }
}
