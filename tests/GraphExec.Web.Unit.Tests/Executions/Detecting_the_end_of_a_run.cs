using GraphExec.Web.Api;
using GraphExec.Web.Executions;
using static GraphExec.Web.Unit.Tests.Support.Runs;

namespace GraphExec.Web.Unit.Tests.Executions;

public sealed class Detecting_the_end_of_a_run
{
    [Test]
    public void Should_end_the_run_on_ExecutionCompleted_with_its_status_and_outputs()
    {
        var view = Watching();
        view.Apply(Started(1));

        var outcome = view.Apply(Completed(2, ExecutionStatus.Succeeded, at: 9, """{ "greeting": "Hello, Ada!" }"""));

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(LiveEventOutcome.Completed), "the page reads the final record");
            Assert.That(view.IsTerminal, Is.True);
            Assert.That(view.IsFollowing, Is.False);
            Assert.That(view.Execution!.Status, Is.EqualTo(ExecutionStatus.Succeeded));
            Assert.That(view.Execution.FinishedAt, Is.EqualTo(At(9)));
            Assert.That(view.Execution.Outputs?.GetProperty("greeting").GetString(), Is.EqualTo("Hello, Ada!"));
        });
    }

    [TestCase(ExecutionStatus.Failed)]
    [TestCase(ExecutionStatus.Cancelled)]
    [TestCase(ExecutionStatus.TimedOut)]
    public void Should_end_the_run_on_any_final_status(ExecutionStatus status)
    {
        var view = Watching();

        view.Apply(Completed(1, status, at: 9));

        Assert.Multiple(() =>
        {
            Assert.That(view.Execution!.Status, Is.EqualTo(status));
            Assert.That(view.IsFollowing, Is.False);
        });
    }

    [Test]
    public void Should_keep_following_until_the_run_ends()
    {
        var view = Watching(ExecutionStatus.Queued);
        var queued = view.IsFollowing;

        view.Apply(Started(1));
        view.Apply(NodeSucceeded(2, "who", at: 1, """{ "value": "Ada" }"""));

        Assert.Multiple(() =>
        {
            Assert.That(queued, Is.True);
            Assert.That(view.IsFollowing, Is.True);
            Assert.That(view.IsTerminal, Is.False);
        });
    }

    [Test]
    public void Should_not_follow_before_the_record_is_read()
    {
        var view = new ExecutionView();

        Assert.That(view.IsFollowing, Is.False);
    }

    [Test]
    public void Should_not_let_a_record_read_before_the_end_undo_it()
    {
        var view = Watching();
        view.Apply(Completed(1, ExecutionStatus.Succeeded, at: 9));

        view.Merge(Record(ExecutionStatus.Running));

        Assert.That(view.Execution!.Status, Is.EqualTo(ExecutionStatus.Succeeded));
    }

    [Test]
    public void Should_poll_every_second_without_the_hub_and_every_three_with_it()
    {
        var view = Watching();
        var withoutHub = view.PollInterval;

        view.IsLive = true;

        Assert.Multiple(() =>
        {
            Assert.That(withoutHub, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(view.PollInterval, Is.EqualTo(TimeSpan.FromSeconds(3)));
        });
    }
}
