using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Engine;
using GraphExec.Engine.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace GraphExec.Live.Features.Executions;

/// <summary>
/// What Live needs from the executions table: whether the caller owns an execution (it may still be Queued, so the
/// backlog cannot tell), and the outcome of one whose backlog is gone. Ownership never changes, so a yes is cached.
/// </summary>
public sealed class ExecutionLookup(GraphExecDbContext db, IMemoryCache cache, TimeProvider time)
{
    private static readonly TimeSpan OwnershipLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long after a live run ended its events may still be on their way to the backlog; until then an empty backlog
    /// means "not yet", not "expired".
    /// </summary>
    private static readonly TimeSpan PublishGrace = TimeSpan.FromMinutes(1);

    public async Task<bool> IsOwnerAsync(Guid ownerId, Guid executionId, CancellationToken cancellationToken)
    {
        var key = new OwnershipKey(ownerId, executionId);
        if (cache.TryGetValue(key, out _))
        {
            return true;
        }

        var owned = await db.Executions.AsNoTracking().AnyAsync(e => e.OwnerId == ownerId && e.Id == executionId, cancellationToken);
        if (owned)
        {
            cache.Set(key, true, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = OwnershipLifetime, Size = 1 });
        }

        return owned;
    }

    /// <summary>
    /// The final event of a finished execution whose backlog does not exist (a run without <c>live</c> whose event is still on
    /// its way, a backlog expired, a run cancelled before it started), built from the stored outcome with the sequence the
    /// Worker gave it; null while the execution runs, when its events may still come, or when the client has seen it.
    /// </summary>
    public async Task<LiveEvent?> StoredCompletionAsync(Guid ownerId, Guid executionId, long afterSequence, CancellationToken cancellationToken)
    {
        var execution = await db.Executions.AsNoTracking()
            .Where(e => e.OwnerId == ownerId && e.Id == executionId)
            .Select(e => new { e.Status, e.Live, e.Outputs, e.Error, e.LastSequence, e.StartedAt, e.FinishedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (execution is not { FinishedAt: { } finishedAt } || execution.Status is ExecutionStatus.Queued or ExecutionStatus.Running)
        {
            return null;
        }

        if (execution.Live && execution.StartedAt is not null && time.GetUtcNow() - finishedAt < PublishGrace)
        {
            return null;
        }

        // A run that never started has no events; its final one comes first. Otherwise the Worker stored its sequence.
        var sequence = execution.StartedAt is null ? execution.LastSequence + 1 : execution.LastSequence;
        if (sequence <= afterSequence)
        {
            return null;
        }

        var error = execution.Error is null ? null : JsonSerializer.Deserialize(execution.Error, GraphExecJsonContext.Default.ExecutionError);
        var completion = new ExecutionEvent
        {
            ExecutionId = executionId,
            Sequence = sequence,
            Type = ExecutionEventType.ExecutionCompleted,
            Status = execution.Status.ToString(),
            Outputs = error is null && execution.Outputs is not null ? JsonNode.Parse(execution.Outputs)!.AsObject().ToDictionary() : null,
            Error = error,
            Timestamp = finishedAt,
        };
        return LiveEvent.Parse(JsonSerializer.SerializeToUtf8Bytes(completion, GraphExecJsonContext.Default.ExecutionEvent));
    }

    private readonly record struct OwnershipKey(Guid OwnerId, Guid ExecutionId);
}
