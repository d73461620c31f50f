using GraphExec.Web.Api;
using GraphExec.Web.Executions;
using static GraphExec.Web.Unit.Tests.Support.Runs;

namespace GraphExec.Web.Unit.Tests.Executions;

public sealed class Merging_the_record_with_later_events
{
    [Test]
    public void Should_start_from_the_record_and_move_on_with_the_events()
    {
        var view = Watching(ExecutionStatus.Running, Row("who", NodeStatus.Succeeded, 1, 2, """{ "value": "Ada" }"""));

        view.Apply(Started(1));
        view.Apply(NodeStarted(2, "who", at: 1));
        view.Apply(NodeSucceeded(3, "who", at: 2, """{ "value": "Ada" }"""));
        view.Apply(NodeStarted(4, "greet", at: 2));

        Assert.Multiple(() =>
        {
            Assert.That(view.States["who"], Is.EqualTo(NodeStatus.Succeeded));
            Assert.That(view.States["greet"], Is.EqualTo(NodeStatus.Running));
            Assert.That(view.States["out"], Is.EqualTo(NodeStatus.Pending));
            Assert.That(view.LastSequence, Is.EqualTo(4));
        });
    }

    [Test]
    public void Should_keep_what_events_said_when_the_record_is_behind()
    {
        var view = Watching();
        view.Apply(Started(1));
        view.Apply(NodeStarted(2, "who", at: 1));
        view.Apply(NodeSucceeded(3, "who", at: 2, """{ "value": "Ada" }"""));
        view.Apply(NodeStarted(4, "greet", at: 2));

        // The Worker writes its record in batches: here it has only seen "who" start.
        view.Merge(Record(ExecutionStatus.Running, Row("who", NodeStatus.Running, 1)));

        var who = view.Timeline().Single(n => n.Id == "who");
        Assert.Multiple(() =>
        {
            Assert.That(who.Status, Is.EqualTo(NodeStatus.Succeeded));
            Assert.That(who.FinishedAt, Is.EqualTo(At(2)));
            Assert.That(view.States["greet"], Is.EqualTo(NodeStatus.Running));
        });
    }

    [Test]
    public void Should_take_inputs_and_attempts_from_the_record()
    {
        var view = Watching();
        view.Apply(NodeStarted(1, "who", at: 1));
        view.Apply(NodeSucceeded(2, "who", at: 2, """{ "value": "Ada" }"""));

        view.Merge(Record(ExecutionStatus.Running, Row("who", NodeStatus.Succeeded, 1, 2, """{ "value": "Ada" }""")));

        var who = view.Timeline().Single(n => n.Id == "who");
        Assert.Multiple(() =>
        {
            Assert.That(who.Inputs?.GetProperty("value").GetString(), Is.EqualTo("Ada"));
            Assert.That(who.Attempts, Is.EqualTo(1));
        });
    }

    [Test]
    public void Should_take_the_final_record_after_the_last_event()
    {
        var view = Watching();
        view.Apply(Completed(1, ExecutionStatus.Succeeded, at: 9));

        view.Merge(Record(
            ExecutionStatus.Succeeded,
            Row("who", NodeStatus.Succeeded, 1, 2), Row("greet", NodeStatus.Succeeded, 2, 3), Row("out", NodeStatus.Succeeded, 3, 4)));

        Assert.Multiple(() =>
        {
            Assert.That(view.Execution!.FinishedAt, Is.EqualTo(At(10)), "the record's own times");
            Assert.That(view.States["out"], Is.EqualTo(NodeStatus.Succeeded));
            Assert.That(view.States["shout"], Is.EqualTo(NodeStatus.Skipped));
        });
    }
}
