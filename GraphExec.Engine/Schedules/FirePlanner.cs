namespace GraphExec.Engine.Schedules;

/// <summary>What one dispatch does with a due schedule.</summary>
/// <param name="Fire">The fire times to start an execution for, oldest first.</param>
/// <param name="Skipped">Fire times not run because the previous execution was still running (overlap <c>skip</c>).</param>
/// <param name="Missed">Fire times not run because they were missed by more than the grace period.</param>
/// <param name="NextFireAt">The first fire time after now; null when the expression has no further occurrence.</param>
public sealed record FirePlan(IReadOnlyList<DateTimeOffset> Fire, int Skipped, int Missed, DateTimeOffset? NextFireAt);

/// <summary>Applies a schedule's overlap and misfire policies to its due fire times.</summary>
public static class FirePlanner
{
    /// <summary>
    /// At most this many due fire times are looked at per schedule and dispatch; beyond it (a per-second schedule after a
    /// long outage), the missed count saturates instead of walking every second of the outage.
    /// </summary>
    public const int MaxDueTimes = 10_000;

    /// <param name="dueFrom">The schedule's <c>next_fire_at</c>: the oldest fire time not handled yet, at or before <paramref name="now"/>.</param>
    /// <param name="previousRunning">Whether the schedule's previous execution is still Queued or Running.</param>
    public static FirePlan Plan(
        CronSchedule schedule, DateTimeOffset dueFrom, DateTimeOffset now, TimeSpan misfireGrace, ScheduleOverlap overlap,
        ScheduleMisfire misfire, bool previousRunning)
    {
        var next = schedule.NextAfter(now);
        var due = schedule.Between(dueFrom, now, MaxDueTimes);
        if (due.Count == 0)
        {
            return new FirePlan([], 0, 0, next);
        }

        IReadOnlyList<DateTimeOffset> fire;
        var missed = 0;
        if (now - due[0] > misfireGrace)
        {
            // A misfire (the Scheduler was down or far behind): every due time is missed; fire-once runs the latest of them.
            var latest = due.Count < MaxDueTimes ? due[^1] : schedule.LastAtOrBefore(now, due[^1]) ?? due[^1];
            fire = misfire == ScheduleMisfire.FireOnce ? [latest] : [];
            missed = due.Count - fire.Count;
        }
        else
        {
            fire = due;
        }

        if (overlap == ScheduleOverlap.Skip && fire.Count > 0)
        {
            // The first execution started here is itself still running for the fire times after it.
            var run = previousRunning ? 0 : 1;
            return new FirePlan(fire.Take(run).ToList(), fire.Count - run, missed, next);
        }

        return new FirePlan(fire, 0, missed, next);
    }
}
