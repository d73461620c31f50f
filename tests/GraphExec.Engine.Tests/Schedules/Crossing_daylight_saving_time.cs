using GraphExec.Engine.Schedules;

namespace GraphExec.Engine.Tests.Schedules;

/// <summary>
/// Fire times in Europe/Berlin across its 2026 transitions: clocks jump from 02:00 to 03:00 on 29 March and go back from
/// 03:00 to 02:00 on 25 October. What happens follows Cronos, as docs/schedules.md describes.
/// </summary>
public sealed class Crossing_daylight_saving_time
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Test]
    public void Should_fire_a_time_in_the_skipped_hour_once_at_the_jump()
    {
        var schedule = Parse("30 2 * * *");

        var times = schedule.Next(Utc(2026, 3, 27, 12, 0), 3);

        Assert.That(times.Select(Local), Is.EqualTo(new[]
        {
            "2026-03-28 02:30 +01:00",
            "2026-03-29 03:00 +02:00",
            "2026-03-30 02:30 +02:00",
        }));
    }

    [Test]
    public void Should_leave_out_the_skipped_hour_of_a_stepping_expression()
    {
        var schedule = Parse("0 */30 * * * *");

        var times = schedule.Next(Utc(2026, 3, 29, 0, 0), 4);

        Assert.That(times.Select(Local), Is.EqualTo(new[]
        {
            "2026-03-29 01:30 +01:00",
            "2026-03-29 03:00 +02:00",
            "2026-03-29 03:30 +02:00",
            "2026-03-29 04:00 +02:00",
        }));
    }

    [Test]
    public void Should_fire_a_time_in_the_repeated_hour_once()
    {
        var schedule = Parse("30 2 * * *");

        var times = schedule.Next(Utc(2026, 10, 24, 12, 0), 3);

        Assert.That(times.Select(Local), Is.EqualTo(new[]
        {
            "2026-10-25 02:30 +02:00",
            "2026-10-26 02:30 +01:00",
            "2026-10-27 02:30 +01:00",
        }));
    }

    [Test]
    public void Should_fire_a_stepping_expression_in_both_passes_of_the_repeated_hour()
    {
        var schedule = Parse("*/30 * * * *");

        var times = schedule.Next(Utc(2026, 10, 24, 23, 45), 6);

        Assert.That(times.Select(Local), Is.EqualTo(new[]
        {
            "2026-10-25 02:00 +02:00",
            "2026-10-25 02:30 +02:00",
            "2026-10-25 02:00 +01:00",
            "2026-10-25 02:30 +01:00",
            "2026-10-25 03:00 +01:00",
            "2026-10-25 03:30 +01:00",
        }));
    }

    [Test]
    public void Should_keep_fire_times_strictly_increasing_in_utc_through_both_transitions()
    {
        var schedule = Parse("0 * * * *");

        var times = schedule.Next(Utc(2026, 3, 28, 0, 0), 24 * 230);

        Assert.That(times, Is.Ordered.Ascending.And.Unique);
        Assert.That(times.Zip(times.Skip(1), (a, b) => b - a), Has.All.EqualTo(TimeSpan.FromHours(1)));
    }

    private static CronSchedule Parse(string cron) => CronSchedule.Parse(cron, "Europe/Berlin");

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private static string Local(DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, Berlin).ToString("yyyy-MM-dd HH:mm zzz", System.Globalization.CultureInfo.InvariantCulture);
}
