using GraphExec.Engine.Schedules;

namespace GraphExec.Engine.Tests.Schedules;

/// <summary>The shortest time between fire times, which the schedule quota's minimum interval is held against.</summary>
public sealed class Measuring_how_often_a_cron_fires
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 19, 0, 0, TimeSpan.Zero);

    [TestCase("* * * * * *", 1)]
    [TestCase("*/10 * * * * *", 10)]
    [TestCase("* * * * *", 60)]
    [TestCase("*/5 * * * *", 300)]
    [TestCase("0 9 * * MON-FRI", 86_400)]
    [TestCase("0,30 0 0 1 1 *", 30)]
    [TestCase("0,1 0 1 1 *", 60)]
    public void Should_find_the_shortest_gap_even_when_it_comes_once_a_year(string cron, int seconds)
    {
        Assert.That(CronSchedule.Parse(cron, "UTC").ShortestInterval(Now), Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [Test]
    public void Should_measure_in_the_schedules_time_zone_where_a_clock_change_shortens_a_gap()
    {
        // 01:30 and 01:59 then 01:30 again after the clocks go back: 31 minutes between 01:59 and the second 01:30.
        var gap = CronSchedule.Parse("30,59 1 * * *", "Europe/London").ShortestInterval(Now);

        Assert.That(gap, Is.LessThanOrEqualTo(TimeSpan.FromMinutes(31)));
    }

    [Test]
    public void Should_find_no_gap_for_a_cron_that_never_fires_twice()
    {
        Assert.That(CronSchedule.Parse("0 0 30 2 *", "UTC").ShortestInterval(Now), Is.Null);
    }
}
