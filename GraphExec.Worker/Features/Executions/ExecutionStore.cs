using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Engine;
using GraphExec.Engine.Json;
using Npgsql;
using NpgsqlTypes;

namespace GraphExec.Worker.Features.Executions;

/// <summary>
/// The Worker's statements on <c>executions</c> and <c>node_executions</c>, hand-written so that each step is one round
/// trip: a batch of statements runs in one implicit transaction. Every write after the claim is fenced by the lease
/// (status Running, this instance, this attempt), so a worker that lost its lease changes nothing.
/// </summary>
public sealed class ExecutionStore(NpgsqlDataSource dataSource)
{
    /// <summary>First key of the per-owner advisory lock, which serializes the owner's claims, parkings and wake-ups.</summary>
    private const int OwnerLockSpace = 0x47584f57;

    private static readonly short Queued = (short)ExecutionStatus.Queued;
    private static readonly short Running = (short)ExecutionStatus.Running;

    private static readonly string LockOwner = $"SELECT pg_advisory_xact_lock({OwnerLockSpace}, hashtext($1::text))";

    private static readonly string Claimable = $"(e.status = {Queued} OR (e.status = {Running} AND e.lease_expires_at <= now()))";

    /// <summary>
    /// $1 owner, $2 execution, $3 instance, $4 lease, $5 cap. Claims when the owner is below the cap, parks otherwise;
    /// either way answers what the row was before.
    /// </summary>
    private static readonly string ClaimSql = $"""
        WITH running AS (
            SELECT count(*) AS n FROM executions
            WHERE owner_id = $1 AND status = {Running} AND lease_expires_at > now() AND id <> $2),
        claimed AS (
            UPDATE executions e
            SET status = {Running}, attempt = e.attempt + 1, lease_owner = $3, lease_expires_at = now() + $4,
                started_at = coalesce(e.started_at, now()), parked_at = NULL
            FROM running
            WHERE e.owner_id = $1 AND e.id = $2 AND running.n < $5 AND {Claimable}
            RETURNING e.attempt),
        parked AS (
            UPDATE executions e SET parked_at = coalesce(e.parked_at, now())
            FROM running
            WHERE e.owner_id = $1 AND e.id = $2 AND running.n >= $5 AND {Claimable}
            RETURNING 1)
        SELECT e.status, (SELECT attempt FROM claimed), EXISTS (SELECT FROM parked),
               e.graph_id, e.graph_version, e.trigger, e.live, e.inputs::text, e.last_sequence
        FROM executions e WHERE e.owner_id = $1 AND e.id = $2
        """;

    /// <summary>$1 owner, $2 execution, $3 instance, $4 attempt.</summary>
    private static readonly string Fence = $"owner_id = $1 AND id = $2 AND status = {Running} AND lease_owner = $3 AND attempt = $4";

    private static readonly string RenewSql = $"UPDATE executions SET lease_expires_at = now() + $5 WHERE {Fence}";

    private static readonly string ReleaseSql = $"UPDATE executions SET lease_expires_at = now() WHERE {Fence}";

    /// <summary>$1–$4 the fence, $5–$12 the rows as arrays: one statement whatever the row count (no parameter limit).</summary>
    private static readonly string UpsertNodesSql = $"""
        WITH written AS (
            INSERT INTO node_executions (owner_id, execution_id, node_id, status, inputs, outputs, error, attempts, started_at, finished_at)
            SELECT $1, $2, n.node_id, n.status, n.inputs::jsonb, n.outputs::jsonb, n.error::jsonb, n.attempts, n.started_at, n.finished_at
            FROM unnest($5::text[], $6::smallint[], $7::text[], $8::text[], $9::text[], $10::int[], $11::timestamptz[], $12::timestamptz[])
                AS n(node_id, status, inputs, outputs, error, attempts, started_at, finished_at)
            WHERE EXISTS (SELECT FROM executions WHERE {Fence})
            ON CONFLICT (owner_id, execution_id, node_id) DO UPDATE SET
                status = excluded.status,
                inputs = coalesce(excluded.inputs, node_executions.inputs),
                outputs = excluded.outputs,
                error = excluded.error,
                attempts = greatest(excluded.attempts, node_executions.attempts),
                started_at = coalesce(excluded.started_at, node_executions.started_at),
                finished_at = excluded.finished_at
            RETURNING 1)
        SELECT count(*) FROM written
        """;

    private static readonly string SequenceSql = $"UPDATE executions SET last_sequence = greatest(last_sequence, $5) WHERE {Fence} RETURNING 1";

    /// <summary>$1–$4 the fence, then status, outputs, error, finished at, last sequence.</summary>
    private static readonly string FinishSql = $"""
        UPDATE executions
        SET status = $5, outputs = $6::jsonb, error = $7::jsonb, finished_at = $8, last_sequence = $9,
            lease_owner = NULL, lease_expires_at = NULL, parked_at = NULL
        WHERE {Fence}
        RETURNING 1
        """;

    /// <summary>$1 owner, $2 how many: un-parks the owner's oldest parked executions, to be published again.</summary>
    private static readonly string WakeSql = $"""
        UPDATE executions e SET parked_at = NULL
        FROM (SELECT id FROM executions
              WHERE owner_id = $1 AND parked_at IS NOT NULL AND status IN ({Queued}, {Running})
              ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED) w
        WHERE e.owner_id = $1 AND e.id = w.id
        RETURNING e.id
        """;

    private static readonly string CompletedNodesSql = $"""
        SELECT node_id, status, outputs::text, error::text FROM node_executions
        WHERE owner_id = $1 AND execution_id = $2 AND status IN ({(short)NodeStatus.Succeeded}, {(short)NodeStatus.Skipped}, {(short)NodeStatus.Failed})
        """;

    /// <summary>$1 owner, $2 execution, $3 error: fails an execution that no worker holds.</summary>
    private static readonly string FailSql = $"""
        UPDATE executions e
        SET status = {(short)ExecutionStatus.Failed}, error = $3::jsonb, finished_at = now(),
            lease_owner = NULL, lease_expires_at = NULL, parked_at = NULL
        WHERE e.owner_id = $1 AND e.id = $2 AND {Claimable}
        RETURNING e.graph_id, e.trigger, e.finished_at
        """;

    public async Task<ClaimResult> ClaimAsync(Guid ownerId, Guid executionId, string instance, TimeSpan lease, int maxRunningPerOwner, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(LockOwner, ownerId));
        batch.BatchCommands.Add(Command(ClaimSql, ownerId, executionId, instance, lease, maxRunningPerOwner));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new ClaimResult(ClaimOutcome.NotFound);
        }

        var status = (ExecutionStatus)reader.GetInt16(0);
        if (!reader.IsDBNull(1))
        {
            return new ClaimResult(ClaimOutcome.Claimed, new Claim(
                ownerId,
                executionId,
                instance,
                Attempt: reader.GetInt32(1),
                Takeover: status == ExecutionStatus.Running,
                GraphId: reader.GetGuid(3),
                GraphVersion: reader.GetInt32(4),
                Trigger: (TriggerKind)reader.GetInt16(5),
                Live: reader.GetBoolean(6),
                Inputs: reader.GetString(7),
                LastSequence: reader.GetInt64(8)));
        }

        // Unfinished but neither claimed nor parked: another worker holds it (or claimed it a moment ago).
        return reader.GetBoolean(2) ? new ClaimResult(ClaimOutcome.Parked)
            : status is ExecutionStatus.Queued or ExecutionStatus.Running ? new ClaimResult(ClaimOutcome.HeldElsewhere)
            : new ClaimResult(ClaimOutcome.Finished);
    }

    /// <returns>False when the lease is lost: another worker took over, or the execution was ended elsewhere.</returns>
    public async Task<bool> RenewAsync(Claim claim, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        command.CommandText = RenewSql;
        AddFence(command.Parameters, claim);
        command.Parameters.Add(new NpgsqlParameter { Value = lease });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Lets another worker (or a retry of this message) take over at once instead of after the lease.</summary>
    public async Task ReleaseAsync(Claim claim, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        command.CommandText = ReleaseSql;
        AddFence(command.Parameters, claim);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Writes completed nodes while the run goes on, with the sequence reached, in one round trip.</summary>
    public async Task WriteProgressAsync(Claim claim, IReadOnlyCollection<NodeRow> rows, long lastSequence, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(UpsertNodes(claim, rows));
        var sequence = new NpgsqlBatchCommand(SequenceSql);
        AddFence(sequence.Parameters, claim);
        sequence.Parameters.Add(new NpgsqlParameter { Value = lastSequence });
        batch.BatchCommands.Add(sequence);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Stores the outcome in one round trip: the nodes, the execution's final status (releasing the lease), and wakes
    /// the owner's oldest parked execution now that a slot is free.
    /// </summary>
    /// <returns>Whether the outcome was stored (false: the lease was lost), and the executions woken.</returns>
    public async Task<(bool Stored, IReadOnlyList<Guid> Woken)> FinishAsync(
        Claim claim, IReadOnlyCollection<NodeRow> rows, ExecutionStatus status, string outputs, string? error,
        DateTimeOffset finishedAt, long lastSequence, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(LockOwner, claim.OwnerId));
        batch.BatchCommands.Add(UpsertNodes(claim, rows));
        var finish = new NpgsqlBatchCommand(FinishSql);
        AddFence(finish.Parameters, claim);
        finish.Parameters.Add(new NpgsqlParameter { Value = (short)status });
        finish.Parameters.Add(new NpgsqlParameter { Value = outputs });
        finish.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        finish.Parameters.Add(new NpgsqlParameter { Value = finishedAt });
        finish.Parameters.Add(new NpgsqlParameter { Value = lastSequence });
        batch.BatchCommands.Add(finish);
        batch.BatchCommands.Add(Command(WakeSql, claim.OwnerId, 1));

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var stored = await reader.ReadAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var woken = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            woken.Add(reader.GetGuid(0));
        }

        return (stored, woken);
    }

    /// <summary>The nodes a previous attempt finished, for the engine to take back instead of running them again.</summary>
    public async Task<IReadOnlyList<NodeResult>> LoadCompletedNodesAsync(Claim claim, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(CompletedNodesSql);
        command.Parameters.Add(new NpgsqlParameter { Value = claim.OwnerId });
        command.Parameters.Add(new NpgsqlParameter { Value = claim.ExecutionId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var nodes = new List<NodeResult>();
        while (await reader.ReadAsync(cancellationToken))
        {
            nodes.Add(new NodeResult
            {
                NodeId = reader.GetString(0),
                Status = (NodeStatus)reader.GetInt16(1),
                Outputs = reader.IsDBNull(2) ? new Dictionary<string, JsonNode?>() : JsonText.Properties(reader.GetString(2)),
                Error = reader.IsDBNull(3) ? null : JsonSerializer.Deserialize(reader.GetString(3), GraphExecJsonContext.Default.ExecutionError),
            });
        }

        return nodes;
    }

    /// <summary>Fails an execution that no worker holds (Queued, or its lease expired), after its message faulted.</summary>
    /// <returns>The execution's graph, trigger and finish time when it was failed here; null when it had ended or runs elsewhere.</returns>
    public async Task<(Guid GraphId, TriggerKind Trigger, DateTimeOffset FinishedAt)?> FailAsync(
        Guid ownerId, Guid executionId, string error, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(FailSql);
        command.Parameters.Add(new NpgsqlParameter { Value = ownerId });
        command.Parameters.Add(new NpgsqlParameter { Value = executionId });
        command.Parameters.Add(new NpgsqlParameter { Value = error });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetGuid(0), (TriggerKind)reader.GetInt16(1), reader.GetFieldValue<DateTimeOffset>(2))
            : null;
    }

    private static NpgsqlBatchCommand UpsertNodes(Claim claim, IReadOnlyCollection<NodeRow> rows)
    {
        var command = new NpgsqlBatchCommand(UpsertNodesSql);
        AddFence(command.Parameters, claim);
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.NodeId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => (short)r.Status).ToArray() });
        command.Parameters.Add(Texts(rows.Select(r => r.Inputs)));
        command.Parameters.Add(Texts(rows.Select(r => r.Outputs)));
        command.Parameters.Add(Texts(rows.Select(r => r.Error)));
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Attempts).ToArray() });
        command.Parameters.Add(Times(rows.Select(r => r.StartedAt)));
        command.Parameters.Add(Times(rows.Select(r => r.FinishedAt)));
        return command;
    }

    private static void AddFence(NpgsqlParameterCollection parameters, Claim claim)
    {
        parameters.Add(new NpgsqlParameter { Value = claim.OwnerId });
        parameters.Add(new NpgsqlParameter { Value = claim.ExecutionId });
        parameters.Add(new NpgsqlParameter { Value = claim.LeaseOwner });
        parameters.Add(new NpgsqlParameter { Value = claim.Attempt });
    }

    private static NpgsqlParameter Texts(IEnumerable<string?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter Times(IEnumerable<DateTimeOffset?> values) =>
        new() { Value = values.Select(v => v?.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz };

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
