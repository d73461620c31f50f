using GraphExec.Engine;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Engine;

public class Running_nodes_in_parallel
{
    private const string Graph = """
        {
          "name": "Four",
          "nodes": [
            { "id": "a", "block": "wait" }, { "id": "b", "block": "wait" },
            { "id": "c", "block": "wait" }, { "id": "d", "block": "wait" }
          ],
          "edges": []
        }
        """;

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public async Task Should_keep_at_most_the_configured_number_of_nodes_in_flight(int limit)
    {
        var gate = new Gate();
        var plan = TestGraphs.Compile(Graph, TestGraphs.Catalog.With(gate.Block()));

        var run = new GraphEngine(new ExecutionOptions { MaxDegreeOfParallelism = limit })
            .RunAsync(plan, new ExecutionRequest { ExecutionId = Guid.NewGuid() });
        var startedBeforeRelease = gate.Running;
        gate.Open();
        var result = await run;

        Assert.Multiple(() =>
        {
            Assert.That(startedBeforeRelease, Is.EqualTo(limit));
            Assert.That(gate.MostAtOnce, Is.EqualTo(limit));
            Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Succeeded));
        });
    }

    /// <summary>A block that waits until the test opens the gate, counting how many wait at once.</summary>
    private sealed class Gate
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _running;
        private int _mostAtOnce;

        public int Running => Volatile.Read(ref _running);

        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        public void Open() => _open.SetResult();

        public LambdaBlock Block() => new("wait", [], [], async _ =>
        {
            var now = Interlocked.Increment(ref _running);
            int seen;
            while ((seen = _mostAtOnce) < now && Interlocked.CompareExchange(ref _mostAtOnce, now, seen) != seen)
            {
            }

            await _open.Task;
            Interlocked.Decrement(ref _running);
        });
    }
}
