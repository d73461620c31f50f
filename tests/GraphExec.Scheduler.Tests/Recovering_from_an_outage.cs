using System.Globalization;
using GraphExec.Core.Schedules;
using GraphExec.Engine.Schedules;
using GraphExec.Testing;

namespace GraphExec.Scheduler.Tests;

/// <summary>
/// Fire times that pass while no Scheduler runs follow the misfire policy when one starts again: <c>fire-once</c> runs the
/// latest of them once, <c>skip</c> runs none; both count what they did not run.
/// </summary>
public sealed class Recovering_from_an_outage
{
    [Test]
    public async Task Should_fire_once_for_the_latest_missed_time_or_skip_them_all()
    {
        var graph = await Rows.GraphAsync(SampleGraphs.Greeting);
        var scheduler = await new SchedulerApp().StartAsync();

        // Three fire times a few seconds ahead, on one day only, so that nothing else fires during the test.
        var first = NextWholeSecond(DateTimeOffset.UtcNow.AddSeconds(6));
        var cron = string.Create(CultureInfo.InvariantCulture,
            $"{first.Second},{first.Second + 1},{first.Second + 2} {first.Minute} {first.Hour} {first.Day} {first.Month} *");
        var fireOnce = await Rows.ScheduleAsync(graph, cron, misfire: ScheduleMisfire.FireOnce);
        var skip = await Rows.ScheduleAsync(graph, cron, misfire: ScheduleMisfire.Skip);

        // The outage: the Scheduler stops before the first fire time and starts again after the last one has passed by
        // more than the grace period.
        await scheduler.DisposeAsync();
        var last = first.AddSeconds(2);
        await Poll.UntilAsync(() => DateTimeOffset.UtcNow > last.AddSeconds(3), "the last fire time to be past the grace period");

        Assert.That(await Rows.ExecutionsAsync(fireOnce), Is.Empty, "nothing fired while the Scheduler was down");
        await using var restarted = await new SchedulerApp(new Dictionary<string, string?> { ["Scheduler:MisfireGrace"] = "00:00:01" }).StartAsync();
        var afterFireOnce = await Poll.UntilAsync(() => Rows.ReloadAsync(fireOnce), s => s.NextFireAt > last, "the fire-once schedule to be handled");
        var afterSkip = await Poll.UntilAsync(() => Rows.ReloadAsync(skip), s => s.NextFireAt > last, "the skip schedule to be handled");

        var fired = await Rows.ExecutionsAsync(fireOnce);
        Assert.That(fired.Select(e => ScheduleTrigger.FireTimeOf(e.TriggerRef!)), Is.EqualTo(new[] { last }));
        Assert.That(afterFireOnce.FiredCount, Is.EqualTo(1));
        Assert.That(afterFireOnce.MissedCount, Is.EqualTo(2));
        Assert.That(await Rows.ExecutionsAsync(skip), Is.Empty);
        Assert.That(afterSkip.FiredCount, Is.Zero);
        Assert.That(afterSkip.MissedCount, Is.EqualTo(3));
    }

    /// <summary>A whole second at least <paramref name="after"/>, whose next two seconds stay in the same minute.</summary>
    private static DateTimeOffset NextWholeSecond(DateTimeOffset after)
    {
        var second = new DateTimeOffset(after.Year, after.Month, after.Day, after.Hour, after.Minute, after.Second, TimeSpan.Zero).AddSeconds(1);
        return second.Second <= 57 ? second : second.AddSeconds(60 - second.Second);
    }
}
