using System.Diagnostics;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Engine;

/// <summary>
/// A run under a recorded span makes a span per node run under it, named by the node and its block, with its status; a
/// run under no recorded span makes none, and a run past <see cref="ExecutionOptions.MaxNodeSpans"/> says so once.
/// </summary>
public sealed class Tracing_an_execution
{
    private const string FailingGraph = """
        {
          "name": "Failing",
          "nodes": [
            { "id": "who",  "block": "input", "config": { "name": "who", "default": "world" } },
            { "id": "boom", "block": "fail",  "config": { "message": "No stock for {{who}}" } },
            { "id": "out",  "block": "output", "config": { "name": "who" } }
          ],
          "edges": [
            { "from": "who.value", "to": "boom.who" },
            { "from": "who.value", "to": "out.value" }
          ]
        }
        """;

    private const string TestSource = "GraphExec.Engine.Tests";

    private static readonly ActivitySource Tests = new(TestSource);

    private readonly List<Activity> _ended = [];
    private ActivityListener _listener = null!;

    [SetUp]
    public void Listen()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is ExecutionTracing.SourceName or TestSource,
            // Parent-based, as the services' sampler is for a run's spans.
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Parent == default || options.Parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)
                    ? ActivitySamplingResult.AllDataAndRecorded
                    : ActivitySamplingResult.None,
            ActivityStopped = span =>
            {
                lock (_ended)
                {
                    _ended.Add(span);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [TearDown]
    public void StopListening() => _listener.Dispose();

    [Test]
    public async Task Should_make_a_span_per_node_under_the_run_span_with_an_error_status_on_failure()
    {
        Activity run;
        using (run = Tests.StartActivity("run")!)
        {
            await TestGraphs.RunAsync(FailingGraph);
        }

        var nodes = NodeSpans(run);
        Assert.Multiple(() =>
        {
            // The failure stops the run: "out" runs or not, depending on the order the ready nodes start in.
            Assert.That(nodes.Select(span => span.DisplayName), Is.SupersetOf(new[] { "node who", "node boom" }));
            Assert.That(nodes.Select(span => span.ParentSpanId), Has.All.EqualTo(run.SpanId));
            var boom = nodes.Single(span => span.GetTagItem(ExecutionTracing.NodeId) is "boom");
            Assert.That(boom.GetTagItem(ExecutionTracing.BlockType), Is.EqualTo("fail"));
            Assert.That(boom.GetTagItem(ExecutionTracing.NodeStatus), Is.EqualTo(nameof(NodeStatus.Failed)));
            Assert.That(boom.GetTagItem(ExecutionTracing.ErrorCode), Is.EqualTo(ExecutionError.BlockFailed));
            Assert.That(boom.Status, Is.EqualTo(ActivityStatusCode.Error));
            var who = nodes.Single(span => span.GetTagItem(ExecutionTracing.NodeId) is "who");
            Assert.That(who.GetTagItem(ExecutionTracing.NodeStatus), Is.EqualTo(nameof(NodeStatus.Succeeded)));
            Assert.That(who.Status, Is.EqualTo(ActivityStatusCode.Unset));
        });
    }

    [Test]
    public async Task Should_make_no_span_when_the_run_span_is_not_recorded()
    {
        Activity run;
        using (run = Tests.StartActivity("run")!)
        {
            run.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            await TestGraphs.RunAsync(SampleGraphs.GreetingWithDefault);
        }

        Assert.That(NodeSpans(run), Is.Empty);
    }

    [Test]
    public async Task Should_stop_at_the_most_node_spans_and_say_so()
    {
        Activity run;
        using (run = Tests.StartActivity("run")!)
        {
            await TestGraphs.RunAsync(SampleGraphs.GreetingWithDefault, engine: new GraphEngine(new ExecutionOptions { MaxNodeSpans = 2 }));
        }

        Assert.Multiple(() =>
        {
            Assert.That(NodeSpans(run), Has.Count.EqualTo(2));
            Assert.That(run.Events.Select(e => e.Name), Is.EqualTo(new[] { ExecutionTracing.NodeSpansLimited }));
        });
    }

    private List<Activity> NodeSpans(Activity run)
    {
        lock (_ended)
        {
            return [.. _ended.Where(span => span.TraceId == run.TraceId && span.Source.Name == ExecutionTracing.SourceName)];
        }
    }
}
