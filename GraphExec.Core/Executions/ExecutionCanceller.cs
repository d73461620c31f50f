using System.Text.Json;
using GraphExec.Core.Data;
using GraphExec.Core.Messages;
using GraphExec.Engine;
using GraphExec.Engine.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Core.Executions;

/// <summary>
/// Cancels an execution for its owner. One that no worker runs (Queued, or Running with an expired lease) is marked
/// Cancelled here with a conditional update, so that no claim can start it afterwards; one that runs is stopped by
/// <see cref="CancelExecution"/>, which every worker receives and the one running it acts on.
/// </summary>
public sealed class ExecutionCanceller(GraphExecDbContext db, IPublishEndpoint publisher, TimeProvider time)
{
    private static readonly string CancelledError = JsonSerializer.Serialize(
        new ExecutionError(ExecutionError.Cancelled, "The execution was cancelled."), GraphExecJsonContext.Default.ExecutionError);

    public async Task<CancelOutcome> CancelAsync(Guid ownerId, Guid executionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cancelled = await db.Executions
            .Where(e => e.OwnerId == ownerId && e.Id == executionId)
            .Where(e => e.Status == ExecutionStatus.Queued || (e.Status == ExecutionStatus.Running && e.LeaseExpiresAt <= now))
            .ExecuteUpdateAsync(set => set
                .SetProperty(e => e.Status, ExecutionStatus.Cancelled)
                .SetProperty(e => e.Error, CancelledError)
                .SetProperty(e => e.FinishedAt, now)
                .SetProperty(e => e.LeaseOwner, (string?)null)
                .SetProperty(e => e.LeaseExpiresAt, (DateTimeOffset?)null)
                .SetProperty(e => e.ParkedAt, (DateTimeOffset?)null), cancellationToken);

        var execution = await db.Executions.AsNoTracking()
            .Where(e => e.OwnerId == ownerId && e.Id == executionId)
            .Select(e => new { e.Status, e.GraphId, e.Trigger })
            .SingleOrDefaultAsync(cancellationToken);
        if (execution is null)
        {
            return CancelOutcome.NotFound;
        }

        if (cancelled == 1)
        {
            await publisher.Publish(new ExecutionCompleted
            {
                OwnerId = ownerId,
                ExecutionId = executionId,
                GraphId = execution.GraphId,
                Trigger = execution.Trigger,
                Status = ExecutionStatus.Cancelled,
                FinishedAt = now,
            }, cancellationToken);
            return CancelOutcome.Cancelled;
        }

        if (execution.Status == ExecutionStatus.Running)
        {
            await publisher.Publish(new CancelExecution { OwnerId = ownerId, ExecutionId = executionId }, cancellationToken);
            return CancelOutcome.CancelRequested;
        }

        return CancelOutcome.AlreadyFinished;
    }
}

/// <summary>What <see cref="ExecutionCanceller"/> did.</summary>
public enum CancelOutcome
{
    /// <summary>The owner has no such execution.</summary>
    NotFound,

    /// <summary>It had not started (or its worker was gone) and is now Cancelled.</summary>
    Cancelled,

    /// <summary>It runs; its worker was asked to stop it and will store it as Cancelled within a second or so.</summary>
    CancelRequested,

    /// <summary>It had already ended; nothing changed.</summary>
    AlreadyFinished,
}
