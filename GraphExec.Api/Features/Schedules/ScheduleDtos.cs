using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Engine.Schedules;

namespace GraphExec.Api.Features.Schedules;

/// <summary>A schedule as written: creation and full replacement alike.</summary>
/// <param name="Cron">5 fields (minute hour day month weekday), or 6 with seconds first.</param>
/// <param name="TimeZone">An IANA time zone; UTC when left out.</param>
/// <param name="Inputs">The graph inputs of every run, checked against the graph's newest version.</param>
/// <param name="Enabled">False creates it paused; true when left out.</param>
/// <param name="Overlap"><c>allow</c> (default) or <c>skip</c>: skip a fire time while the previous run is unfinished.</param>
/// <param name="Misfire"><c>fire-once</c> (default) or <c>skip</c>: what fire times missed while the Scheduler was down do.</param>
public sealed record ScheduleRequest(string? Cron, string? TimeZone, JsonObject? Inputs, bool? Enabled, string? Overlap, string? Misfire);

/// <param name="NextFireTimes">The next 5 fire times in UTC; empty while paused.</param>
/// <param name="FiredCount">Executions started.</param>
/// <param name="SkippedCount">Fire times skipped while the previous run was unfinished (overlap <c>skip</c>).</param>
/// <param name="MissedCount">Fire times missed by more than the grace period and not run (misfire policy).</param>
public sealed record ScheduleDto(
    Guid Id, Guid GraphId, string Cron, string TimeZone, JsonElement Inputs, bool Enabled, ScheduleOverlap Overlap,
    ScheduleMisfire Misfire, IReadOnlyList<DateTimeOffset> NextFireTimes, DateTimeOffset? LastFireAt, Guid? LastExecutionId,
    long FiredCount, long SkippedCount, long MissedCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <param name="NextFireTimes">The next 5 fire times in UTC.</param>
public sealed record SchedulePreviewDto(IReadOnlyList<DateTimeOffset> NextFireTimes);
