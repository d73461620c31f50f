using GraphExec.Core.Messages;
using GraphExec.Engine;
using MassTransit;

namespace GraphExec.Core.Executions;

/// <summary>
/// Cancels an execution for its owner. One that no worker runs (Queued, or Running with an expired lease) is marked
/// Cancelled here with a conditional update, so that no claim can start it afterwards; one that runs is stopped by
/// <see cref="CancelExecution"/>, which every worker receives and the one running it acts on. Cancelling one whose
/// worker was gone gives its slot back, and the parked execution that wakes is published here.
/// </summary>
public sealed class ExecutionCanceller(ExecutionStore store, IPublishEndpoint publisher, TimeProvider time)
{
    private static readonly ExecutionError CancelledError = new(ExecutionError.Cancelled, "The execution was cancelled.");

    public async Task<CancelOutcome> CancelAsync(Guid ownerId, Guid executionId, CancellationToken cancellationToken)
    {
        var (cancelled, status, woken, notify) = await store.CancelUnclaimedAsync(ownerId, executionId, CancelledError, time.GetUtcNow(), cancellationToken);
        if (cancelled)
        {
            foreach (var id in woken)
            {
                await publisher.Publish(new ExecuteGraph { OwnerId = ownerId, ExecutionId = id }, cancellationToken);
            }

            if (notify)
            {
                await publisher.Publish(new ExecutionCompleted { OwnerId = ownerId, ExecutionId = executionId }, cancellationToken);
            }

            return CancelOutcome.Cancelled;
        }

        switch (status)
        {
            case null:
                return CancelOutcome.NotFound;
            case ExecutionStatus.Running:
                await publisher.Publish(new CancelExecution { OwnerId = ownerId, ExecutionId = executionId }, cancellationToken);
                return CancelOutcome.CancelRequested;
            default:
                return CancelOutcome.AlreadyFinished;
        }
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
