using GraphExec.Engine;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Engine;

public class Cancelling_an_execution
{
    private const string Graph = """
        {
          "name": "Wait",
          "nodes": [
            { "id": "wait",  "block": "delay",    "config": { "milliseconds": 60000 } },
            { "id": "after", "block": "template", "config": { "template": "done {{x}}" } }
          ],
          "edges": [{ "from": "wait.value", "to": "after.x" }]
        }
        """;

    [Test]
    public async Task Should_stop_waiting_nodes_and_end_as_cancelled()
    {
        var clock = new ManualClock();
        using var cancellation = new CancellationTokenSource();
        var observer = new RecordingObserver();
        var run = TestGraphs.RunAsync(Graph, engine: new GraphEngine(timeProvider: clock), observer: observer, cancellationToken: cancellation.Token);

        await clock.NextTimerAsync();
        await cancellation.CancelAsync();
        var result = await run;

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Cancelled));
            Assert.That(result.Error?.Code, Is.EqualTo("cancelled"));
            Assert.That(result.Node("wait").Status, Is.EqualTo(NodeStatus.Cancelled));
            Assert.That(result.Node("after").Status, Is.EqualTo(NodeStatus.Pending));
            Assert.That(observer.Events[^1].Status, Is.EqualTo("Cancelled"));
        });
    }

    [Test]
    public async Task Should_not_start_any_node_when_cancelled_before_the_start()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var result = await TestGraphs.RunAsync(Graph, cancellationToken: cancellation.Token);

        Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Cancelled));
        Assert.That(result.Nodes.Select(n => n.Status), Is.All.EqualTo(NodeStatus.Pending));
    }

    [Test]
    public async Task Should_stop_other_nodes_when_one_fails()
    {
        var clock = new ManualClock();
        const string graph = """
            {
              "name": "Fail fast",
              "nodes": [
                { "id": "wait", "block": "delay", "config": { "milliseconds": 60000 } },
                { "id": "late", "block": "delay", "config": { "milliseconds": 1000 } },
                { "id": "boom", "block": "fail",  "config": { "message": "Stopped{{why}}" } }
              ],
              "edges": [{ "from": "late.value", "to": "boom.why" }]
            }
            """;
        var run = TestGraphs.RunAsync(graph, engine: new GraphEngine(timeProvider: clock));

        await clock.NextTimersAsync(2);
        clock.Advance(TimeSpan.FromSeconds(1));
        var result = await run;

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Failed));
            Assert.That(result.Error, Is.EqualTo(new ExecutionError("block_failed", "Stopped", "boom")));
            Assert.That(result.Node("wait").Status, Is.EqualTo(NodeStatus.Cancelled));
        });
    }
}
