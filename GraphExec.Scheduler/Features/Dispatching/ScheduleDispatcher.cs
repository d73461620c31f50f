using System.Diagnostics;
using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Core.Schedules;
using GraphExec.Engine.Schedules;
using GraphExec.Hosting;
using GraphExec.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GraphExec.Scheduler.Features.Dispatching;

/// <summary>
/// Turns due schedules into executions. Each cycle, in one transaction: claim the due schedules (<c>FOR UPDATE SKIP
/// LOCKED</c>), work out their fire times with the overlap and misfire policies, insert one execution per fire time
/// through <see cref="ExecutionStarter"/> (the unique trigger ref makes a second one for the same fire time impossible),
/// advance each schedule to its next fire time, commit; then publish. A crash before the commit leaves the schedule due
/// and nothing inserted; a crash after it leaves Queued rows that the sweeper publishes. Between cycles it sleeps until
/// the earliest next fire time, at most <see cref="DispatcherOptions.PollInterval"/>. Each cycle is a span of its own
/// (<see cref="SpanName"/>), exported only when it claimed schedules, failed or was slow (<see cref="BackgroundTracing"/>):
/// the publishes it makes are its children, so a scheduled run's trace starts at the cycle that fired it.
/// </summary>
public sealed partial class ScheduleDispatcher(
    IServiceScopeFactory scopes, DatabaseSchema schema, IOptions<DispatcherOptions> options, SchedulerMetrics metrics,
    BackgroundTracing tracing, TimeProvider time, ILogger<ScheduleDispatcher> logger) : BackgroundService
{
    public const string SpanName = "dispatch-schedules";

    private static readonly TimeSpan AfterFailure = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await schema.Migrated.WaitAsync(stoppingToken);
        await Task.WhenAll(Enumerable.Range(0, options.Value.Concurrency).Select(_ => LoopAsync(stoppingToken)));
    }

    /// <summary>
    /// One dispatch loop. Several run at once (SKIP LOCKED gives each its own rows), so that one loop's round trips and
    /// commit overlap another's. Each publishes a batch while it claims and inserts the next, with one batch in flight.
    /// </summary>
    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        var publishing = Task.CompletedTask;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan sleep;
            using (var cycle = tracing.StartPoll(SpanName))
            {
                try
                {
                    (sleep, var created) = await DispatchAsync(cycle, stoppingToken);
                    if (created.Count > 0)
                    {
                        // After the commit, never before: a worker must find the row its message names. The rows are
                        // committed, so a publish cut short (a crash, the broker away) is the sweeper's to make up.
                        await publishing;
                        publishing = PublishAsync(created);
                    }
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested && exception is not OutOfMemoryException)
                {
                    // The database or the broker is away: nothing was committed, so the same schedules are due next time.
                    BackgroundTracing.Failed(cycle, exception);
                    LogCycleFailed(logger, exception);
                    sleep = AfterFailure;
                }
            }

            if (sleep > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(sleep, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await publishing;
    }

    /// <summary>One cycle.</summary>
    /// <returns>How long to sleep before the next cycle, and the executions to publish.</returns>
    private async Task<(TimeSpan Sleep, IReadOnlyList<Execution> Created)> DispatchAsync(Activity? cycle, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GraphExecDbContext>();
        var starter = scope.ServiceProvider.GetRequiredService<ExecutionStarter>();
        await db.Database.OpenConnectionAsync(cancellationToken);

        IReadOnlyList<Execution> created = [];
        int claimed;
        var started = time.GetTimestamp();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var now = time.GetUtcNow();
            var due = await ScheduleStore.ClaimAsync(transaction.GetDbTransaction(), now, settings.BatchSize, cancellationToken);
            claimed = due.Count;
            if (claimed > 0)
            {
                tracing.Worked(cycle);
                cycle?.SetTag("graphexec.schedules.claimed", claimed);
                var claimedAt = time.GetTimestamp();
                var plans = due.Select(schedule => Plan(schedule, now, settings.MisfireGrace)).ToList();
                created = await starter.InsertManyAsync(
                    plans.SelectMany(p => p.Plan.Fire.Select(fireTime => Request(p.Schedule, fireTime))).ToList(),
                    (NpgsqlTransaction)transaction.GetDbTransaction(), cancellationToken);
                var insertedAt = time.GetTimestamp();
                await ScheduleStore.AdvanceAsync(transaction.GetDbTransaction(), Advances(plans, created), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                LogCycle(logger, claimed, created.Count, time.GetElapsedTime(started, claimedAt).TotalMilliseconds,
                    time.GetElapsedTime(claimedAt, insertedAt).TotalMilliseconds, time.GetElapsedTime(insertedAt).TotalMilliseconds);
            }
        }

        if (claimed == settings.BatchSize)
        {
            return (TimeSpan.Zero, created);
        }

        var nextDue = await ScheduleStore.NextDueAsync((NpgsqlConnection)db.Database.GetDbConnection(), cancellationToken);
        var untilDue = nextDue is { } next ? next - time.GetUtcNow() : settings.PollInterval;
        return (untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue < settings.PollInterval ? untilDue : settings.PollInterval, created);
    }

    private async Task PublishAsync(IReadOnlyList<Execution> created)
    {
        await using var scope = scopes.CreateAsyncScope();
        var started = time.GetTimestamp();
        await scope.ServiceProvider.GetRequiredService<ExecutionStarter>().PublishManyAsync(created.Select(e => (e.OwnerId, e.Id)));
        LogPublished(logger, created.Count, time.GetElapsedTime(started).TotalMilliseconds);
        foreach (var execution in created)
        {
            metrics.Fired(execution.QueuedAt - ScheduleTrigger.FireTimeOf(execution.TriggerRef!));
        }
    }

    private (DueSchedule Schedule, FirePlan Plan) Plan(DueSchedule schedule, DateTimeOffset now, TimeSpan misfireGrace)
    {
        if (schedule.GraphVersion is null)
        {
            // The graph was deleted: its schedule stops for good (it stays readable, paused, until deleted).
            return (schedule, new FirePlan([], 0, 0, null));
        }

        var plan = FirePlanner.Plan(
            CronSchedule.Parse(schedule.Cron, schedule.TimeZone), schedule.NextFireAt, now, misfireGrace, schedule.Overlap,
            schedule.Misfire, schedule.PreviousRunning);
        metrics.NotFired(plan.Skipped, plan.Missed);
        if (plan.Missed > 0)
        {
            LogMisfired(logger, schedule.Id, plan.Missed, schedule.Misfire);
        }

        return (schedule, plan);
    }

    private static StartExecution Request(DueSchedule schedule, DateTimeOffset fireTime) =>
        new(schedule.OwnerId, schedule.GraphId, schedule.GraphVersion!.Value, TriggerKind.Schedule, ScheduleTrigger.Ref(schedule.Id, fireTime),
            JsonNode.Parse(schedule.Inputs)!.AsObject(), Live: false);

    private static List<ScheduleAdvance> Advances(List<(DueSchedule Schedule, FirePlan Plan)> plans, IReadOnlyList<Execution> created)
    {
        var byRef = created.ToDictionary(e => e.TriggerRef!, StringComparer.Ordinal);
        return plans.Select(p =>
        {
            var started = p.Plan.Fire
                .Select(fireTime => (FireTime: fireTime, Execution: byRef.GetValueOrDefault(ScheduleTrigger.Ref(p.Schedule.Id, fireTime))))
                .Where(fire => fire.Execution is not null)
                .ToList();
            var last = started.Count > 0 ? started[^1] : default;
            return new ScheduleAdvance(
                p.Schedule.OwnerId, p.Schedule.Id, p.Plan.NextFireAt, Enabled: p.Schedule.GraphVersion is not null,
                started.Count > 0 ? last.FireTime : null, last.Execution?.Id, started.Count, p.Plan.Skipped, p.Plan.Missed);
        }).ToList();
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Claimed {Claimed} due schedules and inserted {Inserted} executions: claim {ClaimMs:0} ms, plan and insert {InsertMs:0} ms, advance and commit {CommitMs:0} ms")]
    private static partial void LogCycle(ILogger logger, int claimed, int inserted, double claimMs, double insertMs, double commitMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Published {Count} executions in {Ms:0} ms")]
    private static partial void LogPublished(ILogger logger, int count, double ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dispatch cycle failed; the same schedules are due again in a second")]
    private static partial void LogCycleFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {ScheduleId} missed {Missed} fire times by more than the grace period; misfire policy {Policy}")]
    private static partial void LogMisfired(ILogger logger, Guid scheduleId, int missed, ScheduleMisfire policy);
}
