using GraphExec.Core.Executions;
using GraphExec.Core.Messages;
using GraphExec.Core.Quotas;
using GraphExec.Hosting;
using GraphExec.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Options;

namespace GraphExec.Worker.Features.Executions;

/// <summary>
/// Runs the execution a message names, once: only the worker whose claim succeeds runs it. A duplicate or late message
/// is acknowledged without effect; a redelivered one (its worker died) waits until that worker's lease expires and
/// takes over. The message is acknowledged only once the outcome is stored.
/// </summary>
public sealed partial class ExecuteGraphConsumer(
    DatabaseSchema schema,
    ExecutionStore store,
    IServiceScopeFactory scopes,
    RunningExecutions running,
    DetachedExecutions detachedRuns,
    IBus bus,
    WorkerInstance instance,
    WorkerMetrics metrics,
    IOptions<WorkerOptions> options,
    IOptions<QuotaOptions> quotas,
    ILogger<ExecuteGraphConsumer> logger) : IConsumer<ExecuteGraph>
{
    public async Task Consume(ConsumeContext<ExecuteGraph> context)
    {
        var message = context.Message;
        await schema.Migrated.WaitAsync(context.CancellationToken);

        var run = running.TryBegin(message.OwnerId, message.ExecutionId);
        if (run is null)
        {
            metrics.Claim(ClaimOutcomes.AlreadyHere);
            LogAlreadyHere(logger, message.ExecutionId);
            return;
        }

        var detached = false;
        try
        {
            detached = await ClaimAndRunAsync(context, run);
        }
        finally
        {
            if (!detached)
            {
                run.Dispose();
            }
        }
    }

    /// <returns>True when the run was detached: it goes on, and disposes <paramref name="run"/> when it ends.</returns>
    private async Task<bool> ClaimAndRunAsync(ConsumeContext<ExecuteGraph> context, RunningExecution run)
    {
        var message = context.Message;

        var settings = options.Value;
        var cap = quotas.Value.For(message.OwnerId).RunningExecutions;
        var claim = await store.ClaimAsync(message.OwnerId, message.ExecutionId, instance.Id, settings.Lease, cap);
        metrics.Claim(ClaimOutcomes.Of(claim.Outcome));
        switch (claim.Outcome)
        {
            case ClaimOutcome.Claimed:
                var execution = RunAsync(claim.Claim!, run);
                if (await detachedRuns.WaitOrDetachAsync(message.ExecutionId, execution, run.Dispose))
                {
                    return true;
                }

                await execution;
                break;
            case ClaimOutcome.Parked:
                LogParked(logger, message.ExecutionId, cap);
                break;
            case ClaimOutcome.HeldElsewhere:
                WaitForLeaseIfRedelivered(context, settings);
                break;
            default:
                LogNothingToDo(logger, message.ExecutionId, claim.Outcome);
                break;
        }

        return false;
    }

    /// <summary>Runs the claim in a scope of its own (the database context that reads its graphs), which a detached run outlives the message with.</summary>
    private async Task RunAsync(Claim claim, RunningExecution run)
    {
        await using var scope = scopes.CreateAsyncScope();
        RunOutcome outcome;
        try
        {
            outcome = await scope.ServiceProvider.GetRequiredService<ExecutionRunner>().RunAsync(claim, run, detachedRuns.Stopping);
        }
        catch (Exception)
        {
            // Let a retry of this message, or another worker, take over now rather than after the lease.
            await ReleaseQuietlyAsync(claim);
            throw;
        }

        foreach (var woken in outcome.Woken)
        {
            await bus.Publish(new ExecuteGraph { OwnerId = claim.OwnerId, ExecutionId = woken });
        }

        // Only for graphs with an error handler or notification endpoints; should this publish be lost, the row's flag
        // stays set and the sweeper publishes it.
        if (outcome.Notify)
        {
            await bus.Publish(new ExecutionCompleted { OwnerId = claim.OwnerId, ExecutionId = claim.ExecutionId });
        }
    }

    /// <summary>
    /// A message delivered before (its worker died without acknowledging it) waits, through the retry policy, for the
    /// dead worker's lease to expire. A first delivery is a duplicate: the worker holding the lease finishes the run.
    /// </summary>
    private void WaitForLeaseIfRedelivered(ConsumeContext<ExecuteGraph> context, WorkerOptions settings)
    {
        var attempt = context.GetRetryAttempt();
        if ((context.ReceiveContext.Redelivered || attempt > 0) && attempt < settings.LeaseWaitRetries)
        {
            throw new LeaseHeldElsewhereException(context.Message.ExecutionId);
        }

        LogHeldElsewhere(logger, context.Message.ExecutionId);
    }

    private async Task ReleaseQuietlyAsync(Claim claim)
    {
        try
        {
            await store.ReleaseAsync(claim, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogReleaseFailed(logger, exception, claim.ExecutionId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Execution {ExecutionId} is already handled in this process; message ignored")]
    private static partial void LogAlreadyHere(ILogger logger, Guid executionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} waits: its owner already runs {Limit} executions")]
    private static partial void LogParked(ILogger logger, Guid executionId, int limit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Execution {ExecutionId} runs on another worker; message ignored")]
    private static partial void LogHeldElsewhere(ILogger logger, Guid executionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Execution {ExecutionId} needs nothing ({Outcome}); message ignored")]
    private static partial void LogNothingToDo(ILogger logger, Guid executionId, ClaimOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the lease of execution {ExecutionId}; it is taken over when the lease expires")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, Guid executionId);
}

/// <summary>Thrown to have the retry policy try a redelivered message again once another worker's lease may have expired.</summary>
public sealed class LeaseHeldElsewhereException(Guid executionId)
    : Exception($"Execution {executionId} is held by another worker's lease.");
