using System.Globalization;

namespace GraphExec.Core.Schedules;

/// <summary>
/// The trigger ref of a scheduled execution: the schedule id and the fire time in UTC
/// (<c>0193…:2026-03-29T01:00:00Z</c>). The executions table's unique index on it is what makes one fire time start
/// at most one execution, however many Scheduler replicas race for it.
/// </summary>
public static class ScheduleTrigger
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>Where the fire time starts in the ref (after 36 characters of id and a colon), for SQL's <c>substr</c>.</summary>
    public const int FireTimeOffset = 37;

    public static string Ref(Guid scheduleId, DateTimeOffset fireTime) =>
        $"{scheduleId:D}:{fireTime.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}";

    public static DateTimeOffset FireTimeOf(string triggerRef) =>
        DateTimeOffset.ParseExact(triggerRef[FireTimeOffset..], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
