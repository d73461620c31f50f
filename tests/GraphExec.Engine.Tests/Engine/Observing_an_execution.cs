using System.Text.Json;
using GraphExec.Engine;
using GraphExec.Engine.Json;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Engine;

public class Observing_an_execution
{
    [Test]
    public async Task Should_send_events_in_order_with_gap_free_sequence_numbers()
    {
        var observer = new RecordingObserver();

        var result = await TestGraphs.RunAsync(SampleGraphs.Greeting, """{ "who": "Ada" }""", observer: observer);

        Assert.Multiple(() =>
        {
            Assert.That(observer.Steps, Is.EqualTo(new[]
            {
                "ExecutionStarted",
                "NodeStarted:who", "NodeCompleted:who",
                "NodeStarted:greet", "NodeCompleted:greet",
                "NodeStarted:out", "NodeCompleted:out",
                "ExecutionCompleted",
            }));
            Assert.That(observer.Events.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, 8).Select(i => (long)i)));
            Assert.That(observer.Events.Select(e => e.ExecutionId), Is.All.EqualTo(result.ExecutionId));
            Assert.That(result.LastSequence, Is.EqualTo(8));
        });
    }

    [Test]
    public async Task Should_carry_the_error_of_a_failed_node_and_of_the_execution()
    {
        var observer = new RecordingObserver();

        await TestGraphs.RunAsync(SampleGraphs.Greeting, observer: observer);

        var failed = observer.Events.Single(e => e.Type == ExecutionEventType.NodeFailed);
        var last = observer.Events[^1];
        Assert.Multiple(() =>
        {
            Assert.That(failed.NodeId, Is.EqualTo("who"));
            Assert.That(failed.Status, Is.EqualTo("Failed"));
            Assert.That(failed.Error, Is.EqualTo(new ExecutionError("block_failed", "The graph input 'who' is required.", "who")));
            Assert.That(last.Type, Is.EqualTo(ExecutionEventType.ExecutionCompleted));
            Assert.That(last.Status, Is.EqualTo("Failed"));
            Assert.That(last.Error, Is.EqualTo(failed.Error));
        });
    }

    [Test]
    public async Task Should_serialize_events_as_the_live_contract_names_them()
    {
        var observer = new RecordingObserver();
        await TestGraphs.RunAsync(SampleGraphs.Greeting, """{ "who": "Ada" }""", observer: observer);

        var completed = observer.Events.Single(e => e is { Type: ExecutionEventType.NodeCompleted, NodeId: "greet" });
        var json = JsonSerializer.SerializeToElement(completed, GraphExecJsonContext.Default.ExecutionEvent);

        Assert.Multiple(() =>
        {
            Assert.That(json.EnumerateObject().Select(p => p.Name),
                Is.EquivalentTo(new[] { "executionId", "sequence", "type", "nodeId", "status", "outputs", "timestamp" }));
            Assert.That(json.GetProperty("type").GetString(), Is.EqualTo("NodeCompleted"));
            Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("Succeeded"));
            Assert.That(json.GetProperty("outputs").GetProperty("text").GetString(), Is.EqualTo("Hello, Ada!"));
        });
    }
}
