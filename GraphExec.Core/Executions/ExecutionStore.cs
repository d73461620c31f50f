using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Engine;
using GraphExec.Engine.Json;
using Npgsql;
using NpgsqlTypes;

namespace GraphExec.Core.Executions;

/// <summary>
/// The one owner of the <c>executions</c>, <c>node_executions</c> and <c>owner_slots</c> rows: every statement that changes
/// an execution's state is here (start, claim, park, wake, renew and release the lease, progress, finish, fail, cancel,
/// sweep), so each rule (what is claimable, what ending a run clears, the lease fence, the per-user cap) is written once.
/// Statements are hand-written so that each step is one round trip: a batch of statements runs in one implicit
/// transaction. Every write after a claim is fenced by the lease (status Running, this instance, this attempt), so a
/// worker that lost its lease changes nothing.
/// <para>
/// The per-user cap is kept exact by one counter row per owner, <c>owner_slots.running</c>: the number of the owner's
/// executions that are Running (with a valid lease or an expired one). Its rules:
/// <list type="bullet">
/// <item>Claiming a Queued execution takes a slot (running + 1) only while running is below the cap, and parks the
/// execution otherwise. One statement locks the execution, then upserts the counter row (<c>ON CONFLICT DO UPDATE …
/// WHERE running &lt; cap</c> locks the row whether it updates it or not), then claims or parks; the counter's lock is held
/// only to the end of that statement.</item>
/// <item>Taking over a Running execution whose lease expired keeps the slot it holds: the counter is not touched.</item>
/// <item>Every end of a Running execution gives its slot back (running − 1) exactly once, in the statement that ends it
/// and only when that statement matched: the fenced finish, or ending it unclaimed (lease expired) on a cancel, a failed
/// message or the sweeper giving up. Ending a Queued execution changes no counter. Releasing or renewing a lease keeps
/// the slot.</item>
/// <item>Whoever gives a slot back then wakes the owner's oldest parked execution (one per slot) in a later statement,
/// whose snapshot is taken after the counter was locked: a claim that parks holds that lock while it sees the owner at
/// the cap, so either the parking committed before the slot was given back and the wake-up sees it, or the claim sees
/// the free slot and claims. No parked execution is left waiting while a slot is free.</item>
/// </list>
/// Locks are taken in one order, executions before the counter, and the wake-up skips locked rows, so claims, finishes
/// and ends cannot deadlock one another. Only the sweeper's give-up ends several owners' executions at once and so
/// locks several counters; two sweeps that did so in opposite orders would have one aborted by PostgreSQL and redone
/// by the next sweep.
/// </para>
/// </summary>
public sealed class ExecutionStore(NpgsqlDataSource dataSource)
{
    private readonly GroupInsert _starts = new((executions, cancellationToken) => InsertAsync(dataSource, executions, transaction: null, cancellationToken));

    private static readonly short Queued = (short)ExecutionStatus.Queued;
    private static readonly short Running = (short)ExecutionStatus.Running;

    /// <summary>No worker runs it: Queued, or Running with an expired lease (its worker stopped).</summary>
    private static readonly string Claimable = $"(e.status = {Queued} OR (e.status = {Running} AND e.lease_expires_at <= now()))";

    /// <summary>What every ended execution clears: nobody holds it, and it no longer waits for a slot.</summary>
    private const string Ended = "lease_owner = NULL, lease_expires_at = NULL, parked_at = NULL";

    /// <summary>$1–$8 the rows as arrays, $9 the queue time; a trigger ref already used is skipped, not an error.</summary>
    private static readonly string InsertSql = $"""
        INSERT INTO executions (owner_id, id, graph_id, graph_version, trigger, trigger_ref, status, live, inputs,
                                attempt, last_sequence, sweeps, queued_at)
        SELECT r.owner_id, r.id, r.graph_id, r.graph_version, r.trigger, r.trigger_ref, {Queued}, r.live,
               r.inputs::jsonb, 0, 0, 0, $9
        FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::smallint[], $6::text[], $7::boolean[], $8::text[])
            AS r(owner_id, id, graph_id, graph_version, trigger, trigger_ref, live, inputs)
        ON CONFLICT (owner_id, trigger, trigger_ref) WHERE trigger_ref IS NOT NULL DO NOTHING
        RETURNING id
        """;

    private const string FindByTriggerSql = "SELECT id FROM executions WHERE owner_id = $1 AND trigger = $2 AND trigger_ref = $3";

    /// <summary>
    /// $1 owner, $2 execution, $3 instance, $4 lease, $5 cap. Takes over an expired lease with the slot it holds; claims a
    /// Queued execution when the owner has a free slot, taking it, and parks it otherwise; answers the status before.
    /// <c>target</c> locks the execution first and reads it as it is now (not as of the statement's snapshot), so that a
    /// slot is taken only for a row that is still Queued. The counter's <c>ON CONFLICT DO UPDATE … WHERE</c> locks the
    /// owner's row even when it is at the cap and returns a row only when it took a slot (or made the row with it).
    /// <para>
    /// The claim commits without waiting for its WAL to reach the disk (<c>synchronous_commit</c> off for this transaction
    /// only), so that the owner's counter row is locked for the statement, not for an fsync: a busy owner's claims and
    /// finishes queue on that row. It is safe because a claim is only ever worth what the run after it stores: a crash
    /// of PostgreSQL within the fraction of a second before the WAL writer flushes it loses the claim and its counter
    /// change together (the row is Queued again, the counter as before), every write of that run is fenced by the lost
    /// attempt and changes nothing, and the sweeper publishes the execution again. The finish, which acknowledges the
    /// message, and the start, which answers the trigger, still wait for the disk, and they flush every claim before them.
    /// </para>
    /// </summary>
    private static readonly string ClaimSql = $"""
        WITH target AS (
            SELECT e.status FROM executions e
            WHERE e.owner_id = $1 AND e.id = $2 AND {Claimable}
            FOR UPDATE),
        slot AS (
            INSERT INTO owner_slots AS s (owner_id, running)
            SELECT $1, 1 FROM target WHERE target.status = {Queued}
            ON CONFLICT (owner_id) DO UPDATE SET running = s.running + 1 WHERE s.running < $5
            RETURNING 1),
        claimed AS (
            UPDATE executions e
            SET status = {Running}, attempt = e.attempt + 1, lease_owner = $3, lease_expires_at = now() + $4,
                started_at = coalesce(e.started_at, now()), parked_at = NULL
            FROM target
            WHERE e.owner_id = $1 AND e.id = $2 AND (target.status = {Running} OR EXISTS (SELECT FROM slot))
            RETURNING e.attempt, e.last_sequence),
        parked AS (
            UPDATE executions e SET parked_at = coalesce(e.parked_at, now())
            FROM target
            WHERE e.owner_id = $1 AND e.id = $2 AND target.status = {Queued} AND NOT EXISTS (SELECT FROM slot)
            RETURNING 1)
        SELECT coalesce((SELECT status FROM target), e.status), (SELECT attempt FROM claimed), EXISTS (SELECT FROM parked),
               e.graph_id, e.graph_version, e.trigger, e.live, e.inputs::text, (SELECT last_sequence FROM claimed)
        FROM executions e CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS committed_without_waiting_for_disk
        WHERE e.owner_id = $1 AND e.id = $2
        """;

    /// <summary>$1 owner, $2 execution, $3 instance, $4 attempt.</summary>
    private static readonly string Fence = $"owner_id = $1 AND id = $2 AND status = {Running} AND lease_owner = $3 AND attempt = $4";

    /// <summary>$1 owners, $2 executions, $3 attempts as arrays, $4 this instance, $5 the lease: each row fenced as one claim.</summary>
    private static readonly string RenewSql = $"""
        UPDATE executions e SET lease_expires_at = now() + $5
        FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS c(owner_id, id, attempt)
        WHERE e.owner_id = c.owner_id AND e.id = c.id AND e.status = {Running} AND e.lease_owner = $4 AND e.attempt = c.attempt
        RETURNING e.id
        """;

    private static readonly string ReleaseSql = $"UPDATE executions SET lease_expires_at = now() WHERE {Fence}";

    /// <summary>
    /// $1–$4 the fence, $5–$12 the rows as arrays: one statement whatever the row count (no parameter limit). The fence
    /// locks the execution's row: a takeover's claim that commits first makes the fence fail (the lock re-reads the row),
    /// and one that comes second waits for these nodes to commit and then finds them. Without the lock, nodes written
    /// while a takeover claimed were committed after it had read the completed nodes, and it ran them again.
    /// </summary>
    private static readonly string UpsertNodesSql = $"""
        WITH written AS (
            INSERT INTO node_executions (owner_id, execution_id, node_id, status, inputs, outputs, error, attempts, started_at, finished_at)
            SELECT $1, $2, n.node_id, n.status, n.inputs::jsonb, n.outputs::jsonb, n.error::jsonb, n.attempts, n.started_at, n.finished_at
            FROM unnest($5::text[], $6::smallint[], $7::text[], $8::text[], $9::text[], $10::int[], $11::timestamptz[], $12::timestamptz[])
                AS n(node_id, status, inputs, outputs, error, attempts, started_at, finished_at)
            WHERE EXISTS (SELECT FROM executions WHERE {Fence} FOR NO KEY UPDATE)
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

    /// <summary>
    /// $1–$4 the fence, then status, outputs, error, finished at, last sequence. Gives the slot back only when the fenced
    /// update matched, so exactly once per claim; the counter stays locked to the end of the batch (the wake-up).
    /// </summary>
    private static readonly string FinishSql = $"""
        WITH finished AS (
            UPDATE executions
            SET status = $5, outputs = $6::jsonb, error = $7::jsonb, finished_at = $8, last_sequence = $9, {Ended}
            WHERE {Fence}
            RETURNING 1),
        freed AS (
            UPDATE owner_slots SET running = running - 1
            WHERE owner_id = $1 AND EXISTS (SELECT FROM finished)
            RETURNING 1)
        SELECT 1 FROM finished
        """;

    /// <summary>
    /// $1 owners, $2 how many of each: un-parks the owners' oldest parked executions, to be published again. Run after
    /// the statement that gave the slots back, so that it sees every parking that committed before (see the class).
    /// The choice is a CTE so that it runs once: a subquery joined to the update may be scanned again for every row
    /// updated, and each scan skips the rows already woken (locked and changed here) and takes the next ones.
    /// </summary>
    private static readonly string WakeSql = $"""
        WITH chosen AS (
            SELECT f.owner_id, w.id
            FROM unnest($1::uuid[], $2::int[]) AS f(owner_id, slots),
                 LATERAL (SELECT p.id FROM executions p
                          WHERE p.owner_id = f.owner_id AND p.parked_at IS NOT NULL AND p.status = {Queued}
                          ORDER BY p.id LIMIT f.slots FOR UPDATE SKIP LOCKED) w)
        UPDATE executions e SET parked_at = NULL
        FROM chosen
        WHERE e.owner_id = chosen.owner_id AND e.id = chosen.id
        RETURNING e.owner_id, e.id
        """;

    private static readonly string CompletedNodesSql = $"""
        SELECT node_id, status, outputs::text, error::text FROM node_executions
        WHERE owner_id = $1 AND execution_id = $2 AND status IN ({(short)NodeStatus.Succeeded}, {(short)NodeStatus.Skipped}, {(short)NodeStatus.Failed})
        """;

    /// <summary>
    /// $1 owners, $2 executions, $3 statuses, $4 errors as arrays, $5 the finish time: ends executions that no worker
    /// holds (a failed message, a cancel before the start, the sweeper giving up), gives back the slots of the ones that
    /// were Running (lease expired), and answers the ones it ended with their status before. <c>target</c> locks them
    /// first and reads that status as it is now, not as of the statement's snapshot; the counters are locked after all
    /// of them.
    /// </summary>
    private static readonly string EndUnclaimedSql = $"""
        WITH target AS (
            SELECT e.owner_id, e.id, e.status
            FROM executions e JOIN unnest($1::uuid[], $2::uuid[]) AS k(owner_id, id) ON e.owner_id = k.owner_id AND e.id = k.id
            WHERE {Claimable}
            FOR UPDATE OF e),
        ended AS (
            UPDATE executions e
            SET status = s.status, error = s.error::jsonb, finished_at = $5, {Ended}
            FROM target t, unnest($1::uuid[], $2::uuid[], $3::smallint[], $4::text[]) AS s(owner_id, id, status, error)
            WHERE e.owner_id = t.owner_id AND e.id = t.id AND s.owner_id = t.owner_id AND s.id = t.id
            RETURNING e.owner_id, e.id, t.status AS was),
        freed AS (
            UPDATE owner_slots o SET running = o.running - f.slots
            FROM (SELECT owner_id, count(*)::int AS slots FROM ended WHERE was = {Running} GROUP BY owner_id) f
            WHERE o.owner_id = f.owner_id
            RETURNING 1)
        SELECT owner_id, id, was FROM ended
        """;

    private const string StatusSql = "SELECT status FROM executions WHERE owner_id = $1 AND id = $2";

    /// <summary>
    /// $1 the threshold's edge (now − threshold), $2 how many. Parked executions wait for a slot on purpose and are left
    /// alone while their owner runs anything (each end wakes one); once the owner runs nothing, no end is coming (the
    /// execution woken last was cancelled before its claim, say), so they are stalled too. The partial index of
    /// unfinished executions serves the scan.
    /// </summary>
    private static readonly string StalledSql = $"""
        SELECT owner_id, id, status, attempt, sweeps
        FROM executions e
        WHERE status IN ({Queued}, {Running})
          AND coalesce(swept_at, queued_at) < $1
          AND ((status = {Queued} AND (parked_at IS NULL
                  OR NOT EXISTS (SELECT FROM owner_slots o WHERE o.owner_id = e.owner_id AND o.running > 0)))
               OR (status = {Running} AND lease_expires_at < $1))
        ORDER BY status, queued_at
        LIMIT $2
        FOR UPDATE SKIP LOCKED
        """;

    private const string SweptSql = """
        UPDATE executions e SET sweeps = e.sweeps + 1, swept_at = $3
        FROM unnest($1::uuid[], $2::uuid[]) AS s(owner_id, id)
        WHERE e.owner_id = s.owner_id AND e.id = s.id
        """;

    /// <summary>
    /// A condition for another table's statement (the schedule dispatcher's overlap rule): true when the owner's
    /// execution named by <paramref name="executionId"/> has not ended. Kept here so that "unfinished" has one definition.
    /// </summary>
    public static string IsUnfinished(string ownerId, string executionId) =>
        $"EXISTS (SELECT FROM executions x WHERE x.owner_id = {ownerId} AND x.id = {executionId} AND x.status IN ({Queued}, {Running}))";

    /// <summary>
    /// Inserts executions as Queued in one statement; a trigger ref that already has an execution is left out. With a
    /// <paramref name="transaction"/> the rows commit with the caller's own changes (the Scheduler advancing its schedules).
    /// </summary>
    /// <returns>The ids inserted.</returns>
    public Task<HashSet<Guid>> InsertQueuedAsync(
        IReadOnlyList<Execution> executions, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        InsertAsync(dataSource, executions, transaction, cancellationToken);

    private static async Task<HashSet<Guid>> InsertAsync(
        NpgsqlDataSource dataSource, IReadOnlyList<Execution> executions, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = transaction is null
            ? dataSource.CreateCommand(InsertSql)
            : new NpgsqlCommand(InsertSql, transaction.Connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => e.OwnerId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => e.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => e.GraphId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => e.GraphVersion).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => (short)e.Trigger).ToArray() });
        command.Parameters.Add(Texts(executions.Select(e => e.TriggerRef)));
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => e.Live).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => e.Inputs).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = executions[0].QueuedAt });

        var inserted = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted.Add(reader.GetGuid(0));
        }

        return inserted;
    }

    /// <summary>
    /// Inserts one execution as Queued, in the same statement as the other starts that arrive meanwhile (group commit):
    /// under load, many deliveries cost one insert and one commit.
    /// </summary>
    /// <returns>Whether it was inserted (false: its trigger ref already has an execution).</returns>
    public Task<bool> InsertQueuedAsync(Execution execution) => _starts.InsertAsync(execution);

    /// <summary>The execution a trigger event started, if any.</summary>
    public async Task<Guid?> FindByTriggerAsync(Guid ownerId, TriggerKind trigger, string triggerRef, CancellationToken cancellationToken)
    {
        await using var command = Command(dataSource.CreateCommand(FindByTriggerSql), ownerId, (short)trigger, triggerRef);
        return await command.ExecuteScalarAsync(cancellationToken) is Guid id ? id : null;
    }

    public async Task<ClaimResult> ClaimAsync(Guid ownerId, Guid executionId, string instance, TimeSpan lease, int maxRunningPerOwner, CancellationToken cancellationToken)
    {
        await using var command = Command(dataSource.CreateCommand(ClaimSql), ownerId, executionId, instance, lease, maxRunningPerOwner);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
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

    /// <summary>
    /// Renews the leases of one instance's claims in one statement, whatever their number (the Worker renews all of its
    /// runs at once). A claim missing from the answer has lost its lease: another worker took over, or it ended elsewhere.
    /// </summary>
    /// <returns>The executions whose lease was renewed.</returns>
    public async Task<HashSet<Guid>> RenewAsync(IReadOnlyList<Claim> claims, string instance, TimeSpan lease, CancellationToken cancellationToken)
    {
        // One order for every multi-row update, so that two of them never wait for each other's rows.
        var ordered = claims.OrderBy(c => c.OwnerId).ThenBy(c => c.ExecutionId).ToList();
        await using var command = Command(dataSource.CreateCommand(RenewSql),
            ordered.Select(c => c.OwnerId).ToArray(), ordered.Select(c => c.ExecutionId).ToArray(), ordered.Select(c => c.Attempt).ToArray(),
            instance, lease);
        var renewed = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            renewed.Add(reader.GetGuid(0));
        }

        return renewed;
    }

    /// <summary>Lets another worker (or a retry of this message) take over at once instead of after the lease.</summary>
    public async Task ReleaseAsync(Claim claim, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ReleaseSql);
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
    /// Stores the outcome in one round trip: the nodes, the execution's final status (releasing the lease and giving its
    /// slot back), and wakes the owner's oldest parked execution now that a slot is free.
    /// </summary>
    /// <returns>Whether the outcome was stored (false: the lease was lost), and the executions woken.</returns>
    public async Task<(bool Stored, IReadOnlyList<Guid> Woken)> FinishAsync(
        Claim claim, IReadOnlyCollection<NodeRow> rows, ExecutionStatus status, string outputs, string? error,
        DateTimeOffset finishedAt, long lastSequence, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(UpsertNodes(claim, rows));
        var finish = new NpgsqlBatchCommand(FinishSql);
        AddFence(finish.Parameters, claim);
        finish.Parameters.Add(new NpgsqlParameter { Value = (short)status });
        finish.Parameters.Add(new NpgsqlParameter { Value = outputs });
        finish.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        finish.Parameters.Add(new NpgsqlParameter { Value = finishedAt });
        finish.Parameters.Add(new NpgsqlParameter { Value = lastSequence });
        batch.BatchCommands.Add(finish);
        batch.BatchCommands.Add(Command(new NpgsqlBatchCommand(WakeSql), new[] { claim.OwnerId }, new[] { 1 }));

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var stored = await reader.ReadAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var woken = await ReadWokenAsync(reader, cancellationToken);
        return (stored, woken.Select(w => w.ExecutionId).ToList());
    }

    /// <summary>The nodes a previous attempt finished, for the engine to take back instead of running them again.</summary>
    public async Task<IReadOnlyList<NodeResult>> LoadCompletedNodesAsync(Claim claim, CancellationToken cancellationToken)
    {
        await using var command = Command(dataSource.CreateCommand(CompletedNodesSql), claim.OwnerId, claim.ExecutionId);
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

    /// <summary>
    /// Fails an execution that no worker holds (Queued, or its lease expired), after its message faulted; one that was
    /// Running gives its slot back and wakes the owner's oldest parked execution.
    /// </summary>
    /// <returns>Whether it was failed here (false when it had ended, or runs elsewhere), and the executions woken, to publish.</returns>
    public async Task<(bool Failed, IReadOnlyList<Guid> Woken)> FailUnclaimedAsync(
        Guid ownerId, Guid executionId, ExecutionError error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (ended, woken) = await EndUnclaimedAsync(connection, null, [(ownerId, executionId, ExecutionStatus.Failed, error)], now, cancellationToken);
        return (ended.Count == 1, woken.Select(w => w.ExecutionId).ToList());
    }

    /// <summary>
    /// Cancels an execution that no worker runs (Queued, or Running with an expired lease) with a conditional update, so
    /// that no claim can start it afterwards; one that was Running gives its slot back and wakes the owner's oldest
    /// parked execution.
    /// </summary>
    /// <returns>
    /// Whether it was cancelled here, its status (null when the owner has no such execution), and the executions woken,
    /// to publish.
    /// </returns>
    public async Task<(bool Cancelled, ExecutionStatus? Status, IReadOnlyList<Guid> Woken)> CancelUnclaimedAsync(
        Guid ownerId, Guid executionId, ExecutionError error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (ended, woken) = await EndUnclaimedAsync(connection, null, [(ownerId, executionId, ExecutionStatus.Cancelled, error)], now, cancellationToken);
        if (ended.Count == 1)
        {
            return (true, ExecutionStatus.Cancelled, woken.Select(w => w.ExecutionId).ToList());
        }

        await using var command = Command(new NpgsqlCommand(StatusSql, connection), ownerId, executionId);
        return (false, await command.ExecuteScalarAsync(cancellationToken) is short status ? (ExecutionStatus)status : null, []);
    }

    /// <summary>
    /// One sweep, in one transaction: takes up to <paramref name="limit"/> executions stalled since before
    /// <paramref name="edge"/> (left Queued, or Running with a lease expired) with <c>FOR UPDATE SKIP LOCKED</c>, so that
    /// overlapping sweeps never handle a row twice; <paramref name="giveUp"/> says for each whether to fail it (with that
    /// error) or to publish it again, which is then counted. Failing one that was Running gives its slot back and wakes
    /// the owner's oldest parked execution, to be published as well.
    /// </summary>
    public async Task<SweepResult> SweepAsync(
        DateTimeOffset edge, int limit, Func<StalledExecution, ExecutionError?> giveUp, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var republish = new List<StalledExecution>();
        var fail = new List<(StalledExecution Execution, ExecutionError Error)>();
        foreach (var stalled in await FindStalledAsync(transaction, edge, limit, cancellationToken))
        {
            if (giveUp(stalled) is { } error)
            {
                fail.Add((stalled, error));
            }
            else
            {
                republish.Add(stalled);
            }
        }

        if (republish.Count > 0)
        {
            await using var swept = Command(new NpgsqlCommand(SweptSql, connection, transaction),
                republish.Select(s => s.OwnerId).ToArray(), republish.Select(s => s.Id).ToArray(), now);
            await swept.ExecuteNonQueryAsync(cancellationToken);
        }

        var (_, woken) = await EndUnclaimedAsync(connection, transaction,
            fail.Select(f => (f.Execution.OwnerId, f.Execution.Id, ExecutionStatus.Failed, f.Error)).ToList(), now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SweepResult(republish, fail, woken);
    }

    private static async Task<List<StalledExecution>> FindStalledAsync(
        NpgsqlTransaction transaction, DateTimeOffset edge, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command(new NpgsqlCommand(StalledSql, transaction.Connection, transaction), edge, limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var stalled = new List<StalledExecution>();
        while (await reader.ReadAsync(cancellationToken))
        {
            stalled.Add(new StalledExecution(
                reader.GetGuid(0), reader.GetGuid(1), (ExecutionStatus)reader.GetInt16(2), reader.GetInt32(3), reader.GetInt32(4)));
        }

        return stalled;
    }

    /// <summary>
    /// Ends the executions that no worker holds, then wakes one parked execution per slot given back. The wake-up is a
    /// second round trip, only when a Running one was ended: it needs a snapshot taken after the counters were locked.
    /// </summary>
    private static async Task<(List<Guid> Ended, List<(Guid OwnerId, Guid ExecutionId)> Woken)> EndUnclaimedAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction,
        IReadOnlyList<(Guid OwnerId, Guid Id, ExecutionStatus Status, ExecutionError Error)> executions,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (executions.Count == 0)
        {
            return ([], []);
        }

        await using var command = Command(new NpgsqlCommand(EndUnclaimedSql, connection, transaction),
            executions.Select(e => e.OwnerId).ToArray(),
            executions.Select(e => e.Id).ToArray(),
            executions.Select(e => (short)e.Status).ToArray(),
            executions.Select(e => JsonText.Error(e.Error)).ToArray(),
            now);
        var ended = new List<Guid>();
        var freed = new Dictionary<Guid, int>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ended.Add(reader.GetGuid(1));
                if (reader.GetInt16(2) == Running)
                {
                    freed[reader.GetGuid(0)] = freed.GetValueOrDefault(reader.GetGuid(0)) + 1;
                }
            }
        }

        if (freed.Count == 0)
        {
            return (ended, []);
        }

        await using var wake = Command(new NpgsqlCommand(WakeSql, connection, transaction), freed.Keys.ToArray(), freed.Values.ToArray());
        await using var woken = await wake.ExecuteReaderAsync(cancellationToken);
        return (ended, await ReadWokenAsync(woken, cancellationToken));
    }

    private static async Task<List<(Guid OwnerId, Guid ExecutionId)>> ReadWokenAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var woken = new List<(Guid OwnerId, Guid ExecutionId)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            woken.Add((reader.GetGuid(0), reader.GetGuid(1)));
        }

        return woken;
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

    private static NpgsqlCommand Command(NpgsqlCommand command, params object[] values)
    {
        AddValues(command.Parameters, values);
        return command;
    }

    private static NpgsqlBatchCommand Command(NpgsqlBatchCommand command, params object[] values)
    {
        AddValues(command.Parameters, values);
        return command;
    }

    private static void AddValues(NpgsqlParameterCollection parameters, object[] values)
    {
        foreach (var value in values)
        {
            parameters.Add(new NpgsqlParameter { Value = value });
        }
    }
}
