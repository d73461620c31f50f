using GraphExec.Engine.Schedules;

namespace GraphExec.Engine.Tests.Schedules;

/// <summary>The overlap and misfire policies applied to due fire times, without any server.</summary>
public sealed class Planning_fire_times
{
    private static readonly CronSchedule EverySecond = CronSchedule.Parse("* * * * * *", "UTC");
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 30, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    [Test]
    public void Should_fire_every_due_time_that_is_late_by_less_than_the_grace()
    {
        var plan = FirePlanner.Plan(EverySecond, Now.AddSeconds(-3), Now, Grace, ScheduleOverlap.Allow, ScheduleMisfire.Skip, previousRunning: false);

        Assert.That(plan.Fire, Is.EqualTo(new[] { Now.AddSeconds(-3), Now.AddSeconds(-2), Now.AddSeconds(-1), Now }));
        Assert.That(plan.Missed, Is.Zero);
        Assert.That(plan.NextFireAt, Is.EqualTo(Now.AddSeconds(1)));
    }

    [Test]
    public void Should_fire_once_for_the_latest_missed_time_or_none()
    {
        var fireOnce = FirePlanner.Plan(EverySecond, Now.AddMinutes(-5), Now, Grace, ScheduleOverlap.Allow, ScheduleMisfire.FireOnce, false);
        var skip = FirePlanner.Plan(EverySecond, Now.AddMinutes(-5), Now, Grace, ScheduleOverlap.Allow, ScheduleMisfire.Skip, false);

        Assert.That(fireOnce.Fire, Is.EqualTo(new[] { Now }));
        Assert.That(fireOnce.Missed, Is.EqualTo(300));
        Assert.That(skip.Fire, Is.Empty);
        Assert.That(skip.Missed, Is.EqualTo(301));
        Assert.That(skip.NextFireAt, Is.EqualTo(Now.AddSeconds(1)));
    }

    [Test]
    public void Should_find_the_latest_missed_time_after_an_outage_longer_than_it_walks()
    {
        var plan = FirePlanner.Plan(EverySecond, Now.AddDays(-1), Now, Grace, ScheduleOverlap.Allow, ScheduleMisfire.FireOnce, false);

        Assert.That(plan.Fire, Is.EqualTo(new[] { Now }));
        Assert.That(plan.Missed, Is.EqualTo(FirePlanner.MaxDueTimes - 1));
    }

    [Test]
    public void Should_skip_while_the_previous_run_is_unfinished_and_start_one_run_at_most()
    {
        var running = FirePlanner.Plan(EverySecond, Now.AddSeconds(-2), Now, Grace, ScheduleOverlap.Skip, ScheduleMisfire.Skip, previousRunning: true);
        var finished = FirePlanner.Plan(EverySecond, Now.AddSeconds(-2), Now, Grace, ScheduleOverlap.Skip, ScheduleMisfire.Skip, previousRunning: false);

        Assert.That(running.Fire, Is.Empty);
        Assert.That(running.Skipped, Is.EqualTo(3));
        Assert.That(finished.Fire, Is.EqualTo(new[] { Now.AddSeconds(-2) }));
        Assert.That(finished.Skipped, Is.EqualTo(2));
    }
}
