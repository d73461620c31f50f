using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Engine;
using GraphExec.Engine.Json;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace GraphExec.Live.Features.Executions;

/// <summary>
/// What Live needs from the executions table: whether the caller owns an execution (it may still be Queued, so the
/// backlog cannot tell), and the outcome of one whose backlog is gone. Ownership never changes, so a yes is cached. Both
/// are one prepared statement each rather than EF Core queries: every subscription asks, and opening connections by the
/// thousand spent a third of Live's CPU translating and materialising them.
/// </summary>
public sealed class ExecutionLookup(NpgsqlDataSource dataSource, IMemoryCache cache, TimeProvider time)
{
    /// <summary>$1 owner, $2 execution.</summary>
    private const string OwnedSql = "SELECT EXISTS (SELECT FROM executions WHERE owner_id = $1 AND id = $2)";

    /// <summary>$1 owner, $2 execution.</summary>
    private const string OutcomeSql = """
        SELECT status, live, outputs::text, error::text, last_sequence, started_at, finished_at
        FROM executions WHERE owner_id = $1 AND id = $2
        """;

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

        await using var command = Command(OwnedSql, ownerId, executionId);
        var owned = await command.ExecuteScalarAsync(cancellationToken) is true;
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
        await using var command = Command(OutcomeSql, ownerId, executionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(6))
        {
            return null;
        }

        var status = (ExecutionStatus)reader.GetInt16(0);
        var startedAt = reader.IsDBNull(5) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(5);
        var finishedAt = reader.GetFieldValue<DateTimeOffset>(6);
        if (status is ExecutionStatus.Queued or ExecutionStatus.Running
            || (reader.GetBoolean(1) && startedAt is not null && time.GetUtcNow() - finishedAt < PublishGrace))
        {
            return null;
        }

        // A run that never started has no events; its final one comes first. Otherwise the Worker stored its sequence.
        var lastSequence = reader.GetInt64(4);
        var sequence = startedAt is null ? lastSequence + 1 : lastSequence;
        if (sequence <= afterSequence)
        {
            return null;
        }

        var outputs = reader.IsDBNull(2) ? null : reader.GetString(2);
        var error = reader.IsDBNull(3) ? null : JsonSerializer.Deserialize(reader.GetString(3), GraphExecJsonContext.Default.ExecutionError);
        var completion = new ExecutionEvent
        {
            ExecutionId = executionId,
            Sequence = sequence,
            Type = ExecutionEventType.ExecutionCompleted,
            Status = status.ToString(),
            Outputs = error is null && outputs is not null ? JsonNode.Parse(outputs)!.AsObject().ToDictionary() : null,
            Error = error,
            Timestamp = finishedAt,
        };
        return LiveEvent.Parse(JsonSerializer.SerializeToUtf8Bytes(completion, GraphExecJsonContext.Default.ExecutionEvent));
    }

    private NpgsqlCommand Command(string sql, Guid ownerId, Guid executionId)
    {
        var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = ownerId });
        command.Parameters.Add(new NpgsqlParameter { Value = executionId });
        return command;
    }

    private readonly record struct OwnershipKey(Guid OwnerId, Guid ExecutionId);
}
