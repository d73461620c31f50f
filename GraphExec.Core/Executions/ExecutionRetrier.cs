using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Core.Values;
using GraphExec.Engine;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Core.Executions;

/// <summary>
/// Retries an execution that failed, timed out or was cancelled, from where it stopped: a new manual execution of the
/// same graph version and inputs that records the one it retries. The nodes that had completed there (succeeded or
/// skipped) are copied into it with the blobs of their values before it is published (see
/// <see cref="ExecutionStore"/>), so that the Worker's resume takes them back and runs only the failed node and what
/// had not run. It starts through <see cref="ExecutionStarter"/>, so the queued quota and the per-user cap apply as to
/// every run.
/// </summary>
public sealed class ExecutionRetrier(GraphExecDbContext db, ExecutionStarter starter, ExecutionBlobStore blobs)
{
    /// <summary>Whether an execution in this status can be retried: it ended without succeeding.</summary>
    public static bool CanRetry(ExecutionStatus status) =>
        status is ExecutionStatus.Failed or ExecutionStatus.TimedOut or ExecutionStatus.Cancelled;

    /// <param name="live">Whether to stream every event to the live view; by default as the retried execution did.</param>
    public async Task<RetryOutcome> RetryAsync(Guid ownerId, Guid executionId, bool? live, CancellationToken cancellationToken)
    {
        var source = await db.Executions.AsNoTracking()
            .Where(e => e.OwnerId == ownerId && e.Id == executionId)
            .Select(e => new { e.GraphId, e.GraphVersion, e.Status, e.Live, e.Inputs })
            .SingleOrDefaultAsync(cancellationToken);
        if (source is null || !await db.Graphs.AnyAsync(g => g.OwnerId == ownerId && g.Id == source.GraphId && g.DeletedAt == null, cancellationToken))
        {
            return new RetryOutcome.NotFound();
        }

        if (!CanRetry(source.Status))
        {
            return new RetryOutcome.NotRetriable(source.Status);
        }

        var inputs = new JsonObject(await blobs.For(new ExecutionKey(ownerId, executionId)).LoadAsync(source.Inputs, cancellationToken));
        return new RetryOutcome.Started(await starter.StartAsync(
            new StartExecution(ownerId, source.GraphId, source.GraphVersion, TriggerKind.Manual, TriggerRef: null, inputs, live ?? source.Live, executionId),
            cancellationToken));
    }
}

/// <summary>What <see cref="ExecutionRetrier"/> did.</summary>
public abstract record RetryOutcome
{
    private RetryOutcome()
    {
    }

    /// <summary>The owner has no such execution, or its graph was deleted since.</summary>
    public sealed record NotFound : RetryOutcome;

    /// <summary>It is queued, running or succeeded: there is nothing to retry.</summary>
    public sealed record NotRetriable(ExecutionStatus Status) : RetryOutcome;

    /// <summary>The retry, or the refusal of its start (the queued quota, an input too large to store).</summary>
    public sealed record Started(StartedExecution Execution) : RetryOutcome;
}
