using GraphExec.Web.Api;
using GraphExec.Web.Executions;
using static GraphExec.Web.Unit.Tests.Support.Runs;

namespace GraphExec.Web.Unit.Tests.Executions;

public sealed class Merging_live_events
{
    [Test]
    public void Should_apply_events_in_order()
    {
        var view = Watching(ExecutionStatus.Queued);

        var outcomes = new[]
        {
            view.Apply(Started(1)),
            view.Apply(NodeStarted(2, "who", at: 1)),
            view.Apply(NodeSucceeded(3, "who", at: 2, """{ "value": "Ada" }""")),
            view.Apply(NodeStarted(4, "greet", at: 2)),
        };

        Assert.Multiple(() =>
        {
            Assert.That(outcomes, Is.All.EqualTo(LiveEventOutcome.Applied));
            Assert.That(view.LastSequence, Is.EqualTo(4));
            Assert.That(view.Execution!.Status, Is.EqualTo(ExecutionStatus.Running));
            Assert.That(view.Execution.StartedAt, Is.EqualTo(Start));
            Assert.That(view.States["who"], Is.EqualTo(NodeStatus.Succeeded));
            Assert.That(view.States["greet"], Is.EqualTo(NodeStatus.Running));
            Assert.That(view.States["out"], Is.EqualTo(NodeStatus.Pending));
        });
    }

    [Test]
    public void Should_ignore_an_event_seen_before()
    {
        var view = Watching();
        view.Apply(NodeStarted(1, "who", at: 1));
        view.Apply(NodeSucceeded(2, "who", at: 2, """{ "value": "Ada" }"""));

        var replayed = view.Apply(NodeStarted(1, "who", at: 1));
        var repeated = view.Apply(NodeSucceeded(2, "who", at: 5, """{ "value": "Bob" }"""));

        Assert.Multiple(() =>
        {
            Assert.That(replayed, Is.EqualTo(LiveEventOutcome.Duplicate));
            Assert.That(repeated, Is.EqualTo(LiveEventOutcome.Duplicate));
            Assert.That(view.LastSequence, Is.EqualTo(2));
            Assert.That(view.Notes["who"], Does.EndWith("· Ada"));
            Assert.That(view.Timeline().Single(n => n.Id == "who").FinishedAt, Is.EqualTo(At(2)));
        });
    }

    [Test]
    public void Should_report_a_gap_so_that_the_page_reads_the_record()
    {
        var view = Watching();
        view.Apply(NodeStarted(1, "who", at: 1));

        var outcome = view.Apply(NodeStarted(4, "greet", at: 3));

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(LiveEventOutcome.Gap));
            Assert.That(view.LastSequence, Is.EqualTo(4), "the stream goes on from the event after the gap");
            Assert.That(view.States["greet"], Is.EqualTo(NodeStatus.Running));
        });
    }

    [Test]
    public void Should_report_a_gap_before_the_first_event_it_receives()
    {
        // A run started without live events sends only its final event, whose sequence counts the events not sent.
        var view = Watching();

        var outcome = view.Apply(Completed(7, ExecutionStatus.Succeeded, at: 10));

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(LiveEventOutcome.Gap));
            Assert.That(view.IsTerminal, Is.True);
        });
    }

    [Test]
    public void Should_not_step_a_node_back_to_running()
    {
        var view = Watching();
        view.Apply(NodeSucceeded(1, "who", at: 2, """{ "value": "Ada" }"""));

        view.Apply(NodeStarted(2, "who", at: 1));

        Assert.That(view.States["who"], Is.EqualTo(NodeStatus.Succeeded));
    }
}
