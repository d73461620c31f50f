using GraphExec.Web.Api;
using GraphExec.Web.Executions;
using static GraphExec.Web.Unit.Tests.Support.Runs;

namespace GraphExec.Web.Unit.Tests.Executions;

/// <summary>A run that did not succeed offers a retry from its failed node; a retry marks the nodes it reused.</summary>
public sealed class Showing_a_retry
{
    [TestCase(ExecutionStatus.Failed, true)]
    [TestCase(ExecutionStatus.TimedOut, true)]
    [TestCase(ExecutionStatus.Cancelled, true)]
    [TestCase(ExecutionStatus.Succeeded, false)]
    [TestCase(ExecutionStatus.Running, false)]
    [TestCase(ExecutionStatus.Queued, false)]
    public void Should_offer_a_retry_only_for_a_run_that_ended_without_succeeding(ExecutionStatus status, bool offered) =>
        Assert.That(Watching(status).CanRetry, Is.EqualTo(offered));

    [Test]
    public void Should_mark_a_reused_node_and_keep_the_mark_when_live_events_move_it()
    {
        var original = Guid.CreateVersion7();
        var view = Watching(ExecutionStatus.Running, Row("who", NodeStatus.Succeeded, 0, 1, """{ "value": "Ada" }""") with { ReusedFrom = original });

        view.Apply(Started(1));
        view.Apply(NodeSucceeded(2, "who", at: 3, """{ "value": "Ada" }"""));
        view.Apply(NodeStarted(3, "greet", at: 4));

        var who = view.Timeline().Single(n => n.Id == "who");
        Assert.Multiple(() =>
        {
            Assert.That(who.ReusedFrom, Is.EqualTo(original));
            Assert.That(who.Status, Is.EqualTo(NodeStatus.Succeeded));
            Assert.That(view.Notes["who"], Does.StartWith("reused · "));
            Assert.That(view.Notes["greet"], Does.Not.Contain("reused"));
            Assert.That(view.Bar(who, At(5)), Is.Null, "it ran in another execution");
            Assert.That(view.Bar(view.Timeline().Single(n => n.Id == "greet"), At(5)), Is.EqualTo(new TimelineBar(0, 100)), "the span is this run's own work");
        });
    }
}
