namespace GraphExec.Live.Tests;

/// <summary>A run started without <c>live</c> (as webhooks and timers start them) streams its outcome only.</summary>
public sealed class Watching_a_run_without_live
{
    [Test]
    public async Task Should_stream_nothing_but_execution_completed()
    {
        using var user = await ApiUser.SignUpAsync();
        var executionId = await user.RunWelcomeAsync(live: false);
        await using var watcher = await Watcher.ConnectAsync(TestRun.LiveB, user.Token);
        await watcher.SubscribeAsync(executionId);
        await TestRun.StartWorkerAsync();

        var events = await watcher.UntilCompletedAsync();

        Assert.That(events, Has.Count.EqualTo(1), "ExecutionCompleted is the first event received");
        Assert.That(events[0].GetProperty("status").GetString(), Is.EqualTo("Succeeded"));
        Assert.That(events[0].GetProperty("outputs").GetProperty("welcome").GetString(), Is.EqualTo("[Hello, Ada!]"));
        Assert.That(events[0].GetProperty("sequence").GetInt64(), Is.EqualTo(12), "the sequence the run gave it");
    }
}
