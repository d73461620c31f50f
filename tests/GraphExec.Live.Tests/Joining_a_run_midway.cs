using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Live.Tests;

/// <summary>
/// A second watcher joins on the other replica while the run waits in its delay: its replay and the live events overlap,
/// and it must still see each sequence exactly once.
/// </summary>
public sealed class Joining_a_run_midway
{
    [Test]
    public async Task Should_see_the_whole_run_on_the_other_replica_without_gap_or_duplicate()
    {
        using var user = await ApiUser.SignUpAsync();
        await TestRun.StartWorkerAsync();
        var executionId = await user.RunWelcomeAsync(live: true, SampleGraphs.Welcome.Replace("\"milliseconds\": 50", "\"milliseconds\": 3000", StringComparison.Ordinal));
        await using var first = await Watcher.ConnectAsync(TestRun.LiveA, user.Token);
        await first.SubscribeAsync(executionId);

        // Join once the first watcher has seen the delay start (or the whole run, on a slow day).
        List<JsonElement> seenFirst = [];
        while (!seenFirst.Any(e => e.GetProperty("type").GetString() is "ExecutionCompleted"
            || (e.GetProperty("type").GetString() == "NodeStarted" && e.GetProperty("nodeId").GetString() == "pause")))
        {
            seenFirst.Add(await first.NextAsync());
        }

        await using var second = await Watcher.ConnectAsync(TestRun.LiveB, user.Token);
        await second.SubscribeAsync(executionId);
        var seenSecond = await second.UntilCompletedAsync();
        if (seenFirst[^1].GetProperty("type").GetString() != "ExecutionCompleted")
        {
            seenFirst.AddRange(await first.UntilCompletedAsync());
        }

        Assert.That(seenSecond.Select(e => e.GetProperty("sequence").GetInt64()), Is.EqualTo(Enumerable.Range(1, 12).Select(i => (long)i)));
        Assert.That(seenSecond.Select(e => e.GetRawText()), Is.EqualTo(seenFirst.Select(e => e.GetRawText())));
    }
}
