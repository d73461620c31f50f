namespace GraphExec.Scheduler.Features.Dispatching;

/// <summary>A schedule the dispatcher claimed, with what it needs to fire: the graph's newest version and whether its previous run is unfinished.</summary>
/// <param name="GraphVersion">Null when the graph was deleted.</param>
public sealed record DueSchedule(
    Guid OwnerId,
    Guid Id,
    Guid GraphId,
    string Cron,
    string TimeZone,
    string Inputs,
    Engine.Schedules.ScheduleOverlap Overlap,
    Engine.Schedules.ScheduleMisfire Misfire,
    DateTimeOffset NextFireAt,
    int? GraphVersion,
    bool PreviousRunning);

/// <summary>What a dispatch writes back to a schedule: counters to add, the next fire time, the last execution started.</summary>
public sealed record ScheduleAdvance(
    Guid OwnerId,
    Guid Id,
    DateTimeOffset? NextFireAt,
    bool Enabled,
    DateTimeOffset? LastFireAt,
    Guid? LastExecutionId,
    int Fired,
    int Skipped,
    int Missed);
