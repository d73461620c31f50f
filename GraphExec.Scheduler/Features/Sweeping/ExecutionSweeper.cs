using System.Diagnostics;
using GraphExec.Core.Executions;
using GraphExec.Core.Messages;
using GraphExec.Engine;
using GraphExec.ServiceDefaults;
using Hangfire;
using MassTransit;
using Microsoft.Extensions.Options;

namespace GraphExec.Scheduler.Features.Sweeping;

/// <summary>
/// Makes the executions table a reliable outbox. Run by Hangfire as a recurring job, it has
/// <see cref="ExecutionStore"/> take executions left Queued past the threshold (their publish was lost) and Running
/// executions whose lease expired past the threshold (their worker stopped and no redelivery took over), and publishes
/// them again through <see cref="ExecutionStarter"/>; the Worker's claim takes over an expired lease. It also publishes
/// <see cref="ExecutionCompleted"/> again for ended executions whose notification stayed pending past
/// <see cref="SweeperOptions.NotificationThreshold"/> (the publish after the finishing commit was lost, or its consumer died). After
/// <see cref="SweeperOptions.MaxSweeps"/> publishes, or <see cref="SweeperOptions.MaxAttempts"/> claims that all lost
/// their lease, it marks the execution Failed with the reason instead; the parked executions that this wakes (a failed
/// Running execution gives its owner's slot back) are published too. Each sweep is a span (<see cref="SpanName"/>)
/// exported only when it found stalled executions, failed or was slow (<see cref="BackgroundTracing"/>).
/// </summary>
public sealed partial class ExecutionSweeper(
    ExecutionStore store, ExecutionStarter starter, IPublishEndpoint publisher, IOptions<SweeperOptions> options, SchedulerMetrics metrics,
    BackgroundTracing tracing, TimeProvider time, ILogger<ExecutionSweeper> logger)
{
    public const string JobId = "sweep-stalled-executions";

    public const string SpanName = "sweep";

    public const string QueuedReason = "queued";
    public const string LeaseExpiredReason = "lease_expired";

    /// <summary>
    /// One sweep; Hangfire retries it on failure only through the next occurrence. Sweeps may overlap (two replicas, a
    /// slow one): each takes its rows with <c>FOR UPDATE SKIP LOCKED</c> and marks them swept, so no row is handled
    /// twice. No Hangfire distributed lock: one left behind by a sweep that died with its database connection (a
    /// PostgreSQL restart) blocked every later sweep until it expired, 10 minutes later.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    public Task SweepAsync(CancellationToken cancellationToken) => tracing.PollAsync(SpanName, SweepAsync, cancellationToken);

    private async Task SweepAsync(Activity? sweep, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var swept = await store.SweepAsync(now - settings.Threshold, settings.BatchSize, GiveUp, now, cancellationToken);
        if (swept.Republish.Count + swept.Failed.Count + swept.Woken.Count > 0)
        {
            tracing.Worked(sweep);
            sweep?.SetTag("graphexec.sweep.republished", swept.Republish.Count);
            sweep?.SetTag("graphexec.sweep.failed", swept.Failed.Count);
        }

        await starter.PublishManyAsync(swept.Republish.Select(s => (s.OwnerId, s.Id)).Concat(swept.Woken));
        foreach (var stalled in swept.Republish)
        {
            metrics.Republished(Reason(stalled));
        }

        foreach (var (stalled, _) in swept.Failed)
        {
            metrics.Failed(Reason(stalled));
            LogFailed(logger, stalled.Id, Reason(stalled));
        }

        if (swept.Republish.Count + swept.Failed.Count > 0)
        {
            LogSwept(logger, swept.Republish.Count, swept.Failed.Count);
        }

        var unnotified = await store.SweepNotificationsAsync(
            now - settings.NotificationThreshold, settings.BatchSize, settings.MaxSweeps, now, cancellationToken);
        if (unnotified.Count > 0)
        {
            tracing.Worked(sweep);
            sweep?.SetTag("graphexec.sweep.notifications", unnotified.Count);
            await publisher.PublishBatch(unnotified.Select(e => new ExecutionCompleted { OwnerId = e.OwnerId, ExecutionId = e.ExecutionId }), cancellationToken);
            LogNotificationsSwept(logger, unnotified.Count);
        }
    }

    /// <summary>The error to fail a stalled execution with, or null to publish it again.</summary>
    private ExecutionError? GiveUp(StalledExecution stalled)
    {
        var settings = options.Value;
        if (stalled.Sweeps >= settings.MaxSweeps)
        {
            return Stalled(stalled.Status == ExecutionStatus.Queued
                ? $"No worker started the execution although it was published {stalled.Sweeps + 1} times; it was given up."
                : $"No worker finished the execution although it was published again {stalled.Sweeps} times after its worker stopped; it was given up.");
        }

        return stalled.Status == ExecutionStatus.Running && stalled.Attempt >= settings.MaxAttempts
            ? Stalled($"The execution's worker stopped {stalled.Attempt} times before finishing it (its lease expired each time); it is not tried again.")
            : null;
    }

    private static ExecutionError Stalled(string message) => new(ExecutionError.Stalled, message);

    private static string Reason(StalledExecution stalled) => stalled.Status == ExecutionStatus.Queued ? QueuedReason : LeaseExpiredReason;

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweeper published {Republished} stalled executions again and marked {Failed} Failed")]
    private static partial void LogSwept(ILogger logger, int republished, int failed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweeper published {Count} pending notifications of ended executions again")]
    private static partial void LogNotificationsSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} is marked Failed by the sweeper ({Reason})")]
    private static partial void LogFailed(ILogger logger, Guid executionId, string reason);
}
