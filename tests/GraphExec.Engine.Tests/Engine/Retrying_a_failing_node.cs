using GraphExec.Engine;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Engine;

public class Retrying_a_failing_node
{
    private static string Graph(string retry) => $$"""
        {
          "name": "Retry",
          "nodes": [
            { "id": "flaky", "block": "flaky", "retry": {{retry}} },
            { "id": "out",   "block": "output", "config": { "name": "value" } }
          ],
          "edges": [{ "from": "flaky.value", "to": "out.value" }]
        }
        """;

    [Test]
    public async Task Should_wait_with_exponential_backoff_between_attempts()
    {
        var clock = new ManualClock();
        var flaky = new Flaky(failures: 2);
        var run = Run(Graph("""{ "maxAttempts": 3, "delayMs": 1000, "jitter": false }"""), flaky, clock);

        var delays = await clock.FireTimersAsync(2);
        var result = await run;

        Assert.Multiple(() =>
        {
            Assert.That(delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2) }));
            Assert.That(flaky.AttemptTimes, Is.EqualTo(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3) }));
            Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Succeeded));
            Assert.That(result.Node("flaky").Attempts, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Should_cap_the_delay_at_the_maximum()
    {
        var clock = new ManualClock();
        var run = Run(Graph("""{ "maxAttempts": 3, "delayMs": 1000, "backoffMultiplier": 10, "maxDelayMs": 4000, "jitter": false }"""), new Flaky(failures: 2), clock);

        var delays = await clock.FireTimersAsync(2);
        await run;

        Assert.That(delays[1], Is.EqualTo(TimeSpan.FromSeconds(4)));
    }

    [Test]
    public async Task Should_draw_each_delay_from_the_upper_half_with_jitter()
    {
        var clock = new ManualClock();
        var engine = new GraphEngine(new ExecutionOptions { Jitter = () => 0.5 }, clock);
        var run = Run(Graph("""{ "maxAttempts": 2, "delayMs": 1000 }"""), new Flaky(failures: 1), clock, engine);

        var delays = await clock.FireTimersAsync(1);
        await run;

        Assert.That(delays[0], Is.EqualTo(TimeSpan.FromMilliseconds(750)));
    }

    [Test]
    public async Task Should_fail_with_the_last_error_after_the_last_attempt()
    {
        var clock = new ManualClock();
        var run = Run(Graph("""{ "maxAttempts": 2, "delayMs": 10, "jitter": false }"""), new Flaky(failures: 5), clock);

        await clock.FireTimersAsync(1);
        var result = await run;

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Failed));
            Assert.That(result.Error, Is.EqualTo(new ExecutionError("block_failed", "Failure 2", "flaky")));
            Assert.That(result.Node("flaky").Attempts, Is.EqualTo(2));
            Assert.That(result.Node("out").Status, Is.EqualTo(NodeStatus.Pending));
        });
    }

    [Test]
    public async Task Should_try_once_without_a_retry_policy()
    {
        const string graph = """
            { "name": "Once", "nodes": [{ "id": "flaky", "block": "flaky" }], "edges": [] }
            """;

        var result = await Run(graph, new Flaky(failures: 1), new ManualClock());

        Assert.That(result.Node("flaky").Attempts, Is.EqualTo(1));
        Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Failed));
    }

    private static Task<ExecutionResult> Run(string graph, Flaky flaky, ManualClock clock, GraphEngine? engine = null) =>
        TestGraphs.RunAsync(graph, engine: engine ?? new GraphEngine(timeProvider: clock), catalog: TestGraphs.Catalog.With(flaky.Block(clock)));

    /// <summary>Fails a number of times, then fires "ok"; remembers when each attempt ran.</summary>
    private sealed class Flaky(int failures)
    {
        private int _attempts;

        public List<TimeSpan> AttemptTimes { get; } = [];

        public LambdaBlock Block(ManualClock clock) => new("flaky", [], ["value"], context =>
        {
            AttemptTimes.Add(clock.GetUtcNow() - clock.Start);
            if (++_attempts <= failures)
            {
                return ValueTask.FromException(new InvalidOperationException($"Failure {_attempts}"));
            }

            context.SetOutput(0, "ok");
            return ValueTask.CompletedTask;
        });
    }
}
