using GraphExec.Core.Executions;
using GraphExec.Testing;
using StackExchange.Redis;

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
        AssertWelcomed(events[0]);
    }

    [Test]
    public async Task Should_answer_the_stored_outcome_once_the_backlog_has_expired()
    {
        using var user = await ApiUser.SignUpAsync();
        var executionId = await user.RunWelcomeAsync(live: false);
        await TestRun.StartWorkerAsync();
        await using (var first = await Watcher.ConnectAsync(TestRun.LiveA, user.Token))
        {
            await first.SubscribeAsync(executionId);
            await first.UntilCompletedAsync();
        }

        // As if the retention had passed.
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(RealServersSetUp.Isolated.Connections.Cache))
        {
            var key = LiveStream.BacklogKey(RealServersSetUp.Isolated.CacheKeyPrefix, user.OwnerId, executionId);
            Assert.That(await redis.GetDatabase().KeyDeleteAsync(key), Is.True, "the backlog existed");
        }

        await using var later = await Watcher.ConnectAsync(TestRun.LiveB, user.Token);
        await later.SubscribeAsync(executionId);
        var events = await later.UntilCompletedAsync();

        Assert.That(events, Has.Count.EqualTo(1));
        AssertWelcomed(events[0]);
    }

    private static void AssertWelcomed(System.Text.Json.JsonElement completed)
    {
        Assert.That(completed.GetProperty("type").GetString(), Is.EqualTo("ExecutionCompleted"));
        Assert.That(completed.GetProperty("status").GetString(), Is.EqualTo("Succeeded"));
        Assert.That(completed.GetProperty("outputs").GetProperty("welcome").GetString(), Is.EqualTo("[Hello, Ada!]"));
        Assert.That(completed.GetProperty("sequence").GetInt64(), Is.EqualTo(12), "the sequence the run gave it");
    }
}
