using GraphExec.Web.Api;
using GraphExec.Web.Executions;
using static GraphExec.Web.Unit.Tests.Support.Runs;

namespace GraphExec.Web.Unit.Tests.Executions;

public sealed class Projecting_node_statuses
{
    [Test]
    public void Should_show_every_node_queued_before_the_run_starts()
    {
        var view = Watching(ExecutionStatus.Queued);

        Assert.Multiple(() =>
        {
            Assert.That(view.States.Keys, Is.EquivalentTo(new[] { "who", "greet", "out", "shout" }));
            Assert.That(view.States.Values, Is.All.EqualTo(NodeStatus.Pending));
            Assert.That(view.Notes, Is.Empty);
            Assert.That(view.Timeline().Select(n => n.Status), Is.All.EqualTo(NodeStatus.Pending));
        });
    }

    [Test]
    public void Should_show_running_succeeded_failed_and_skipped_nodes_with_their_notes()
    {
        var view = Watching();

        view.Apply(NodeSucceeded(1, "who", at: 1.5, """{ "value": "Ada" }"""));
        view.Apply(NodeStarted(2, "greet", at: 2));
        view.Apply(NodeFailed(3, "out", at: 3, "The output was refused."));
        view.Apply(NodeSkipped(4, "shout", at: 3));

        Assert.Multiple(() =>
        {
            Assert.That(view.States["who"], Is.EqualTo(NodeStatus.Succeeded));
            Assert.That(view.States["greet"], Is.EqualTo(NodeStatus.Running));
            Assert.That(view.States["out"], Is.EqualTo(NodeStatus.Failed));
            Assert.That(view.States["shout"], Is.EqualTo(NodeStatus.Skipped));
            Assert.That(view.Notes["greet"], Is.EqualTo("running…"));
            Assert.That(view.Notes["out"], Is.EqualTo("failed: The output was refused."));
            Assert.That(view.Notes["shout"], Is.EqualTo("skipped"));
        });
    }

    [Test]
    public void Should_note_how_long_a_node_took_and_its_first_output()
    {
        var view = Watching();

        view.Apply(NodeStarted(1, "greet", at: 1));
        view.Apply(NodeSucceeded(2, "greet", at: 1.25, """{ "text": "Hello, Ada!", "length": 11 }"""));

        var greet = view.Timeline().Single(n => n.Id == "greet");
        Assert.Multiple(() =>
        {
            Assert.That(greet.Took, Is.EqualTo("250 ms"));
            Assert.That(view.Notes["greet"], Is.EqualTo("250 ms · Hello, Ada!"));
        });
    }

    [Test]
    public void Should_show_nodes_that_never_ran_as_skipped_after_a_successful_run()
    {
        var view = Watching(
            ExecutionStatus.Succeeded,
            Row("who", NodeStatus.Succeeded, 1, 2), Row("greet", NodeStatus.Succeeded, 2, 3), Row("out", NodeStatus.Succeeded, 3, 4));

        Assert.Multiple(() =>
        {
            Assert.That(view.States["shout"], Is.EqualTo(NodeStatus.Skipped));
            Assert.That(view.Timeline().Single(n => n.Id == "shout").Status, Is.EqualTo(NodeStatus.Skipped));
        });
    }

    [Test]
    public void Should_show_nodes_that_never_ran_as_cancelled_after_a_failed_run()
    {
        var view = Watching(ExecutionStatus.Failed, Row("who", NodeStatus.Failed, 1, 2));

        Assert.Multiple(() =>
        {
            Assert.That(view.States["who"], Is.EqualTo(NodeStatus.Failed));
            Assert.That(view.States["greet"], Is.EqualTo(NodeStatus.Cancelled));
            Assert.That(view.States["shout"], Is.EqualTo(NodeStatus.Cancelled));
        });
    }

    [Test]
    public void Should_list_the_timeline_in_the_order_nodes_started_then_in_the_graphs_order()
    {
        var view = Watching();

        view.Apply(NodeStarted(1, "greet", at: 2));
        view.Apply(NodeStarted(2, "who", at: 1));

        Assert.That(view.Timeline().Select(n => n.Id), Is.EqualTo(new[] { "who", "greet", "out", "shout" }));
    }

    [Test]
    public void Should_place_each_bar_within_the_span_of_the_nodes_work()
    {
        var view = Watching();
        view.Apply(NodeStarted(1, "who", at: 2));
        view.Apply(NodeSucceeded(2, "who", at: 4, """{ "value": "Ada" }"""));
        view.Apply(NodeStarted(3, "greet", at: 4));

        var timeline = view.Timeline();
        var who = view.Bar(timeline.Single(n => n.Id == "who"), now: At(6));
        var greet = view.Bar(timeline.Single(n => n.Id == "greet"), now: At(6));
        var notStarted = view.Bar(timeline.Single(n => n.Id == "out"), now: At(6));

        Assert.Multiple(() =>
        {
            Assert.That(who, Is.EqualTo(new TimelineBar(0, 50)));
            Assert.That(greet, Is.EqualTo(new TimelineBar(50, 50)), "a node still running reaches to now");
            Assert.That(notStarted, Is.Null);
        });
    }

    [Test]
    public void Should_open_and_close_a_nodes_details()
    {
        var view = Watching();

        view.Select("greet");
        var opened = view.Selected;
        view.Select("greet");

        Assert.Multiple(() =>
        {
            Assert.That(opened, Is.EqualTo("greet"));
            Assert.That(view.Selected, Is.Null);
        });
    }
}
