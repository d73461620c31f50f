using GraphExec.Engine.Schedules;

namespace GraphExec.Core.Data;

/// <summary>
/// A timer that starts the newest version of a graph at each fire time of a cron expression in a time zone. The
/// Scheduler's dispatcher finds due schedules through <see cref="NextFireAt"/>.
/// </summary>
public sealed class Schedule
{
    public Guid OwnerId { get; set; }

    public Guid Id { get; set; }

    public Guid GraphId { get; set; }

    /// <summary>5 fields, or 6 with seconds first (Cronos syntax).</summary>
    public required string Cron { get; set; }

    /// <summary>An IANA time zone id, e.g. <c>Europe/Berlin</c>.</summary>
    public required string TimeZone { get; set; }

    /// <summary>The graph inputs of every execution it starts, as a <c>jsonb</c> object.</summary>
    public required string Inputs { get; set; }

    /// <summary>False while paused; a paused schedule never fires and has no <see cref="NextFireAt"/>.</summary>
    public bool Enabled { get; set; }

    public ScheduleOverlap Overlap { get; set; }

    public ScheduleMisfire Misfire { get; set; }

    /// <summary>The oldest fire time not handled yet; null while paused or when the expression has no further occurrence.</summary>
    public DateTimeOffset? NextFireAt { get; set; }

    /// <summary>The fire time of the last execution started.</summary>
    public DateTimeOffset? LastFireAt { get; set; }

    public Guid? LastExecutionId { get; set; }

    /// <summary>How many executions it started.</summary>
    public long FiredCount { get; set; }

    /// <summary>How many fire times it skipped because the previous execution was still running (overlap <c>skip</c>).</summary>
    public long SkippedCount { get; set; }

    /// <summary>How many fire times were missed by more than the grace period and not run (misfire policy).</summary>
    public long MissedCount { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
