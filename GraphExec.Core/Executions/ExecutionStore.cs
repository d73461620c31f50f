using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Core.Data.Partitioning;
using GraphExec.Core.Notifications;
using GraphExec.Core.Values;
using GraphExec.Engine;
using GraphExec.Engine.Json;
using Npgsql;
using NpgsqlTypes;
using static GraphExec.Core.Data.ArrayParameters;

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
public sealed class ExecutionStore(NpgsqlDataSource dataSource, QueuedCounts queuedCounts)
{
    private readonly GroupCommit<QueuedStart, Insertion> _starts = StartsInBatches(dataSource, queuedCounts);

    private readonly GroupCommit<ClaimRequest, ClaimResult> _claims = new((claims, cancellationToken) => ClaimAsync(dataSource, claims, cancellationToken));

    private readonly GroupCommit<Finish, (bool Stored, IReadOnlyList<Guid> Woken, bool Notify)> _finishes =
        new((finishes, cancellationToken) => FinishAsync(dataSource, finishes, cancellationToken));

    private static readonly short Queued = (short)ExecutionStatus.Queued;
    private static readonly short Running = (short)ExecutionStatus.Running;

    /// <summary>No worker runs it: Queued, or Running with an expired lease (its worker stopped).</summary>
    private static readonly string Claimable = $"(e.status = {Queued} OR (e.status = {Running} AND e.lease_expires_at <= now()))";

    /// <summary>
    /// $2, the batch's executions, bound <c>e.id</c>: lets a prepared plan prune the day partitions outside the batch
    /// (see <see cref="PartitionedTable.KeyWithin"/>). Every statement that joins <c>executions</c> to a batch adds it.
    /// </summary>
    private static readonly string InBatch = PartitionedTable.Executions.KeyWithin("e", "$2::uuid[]");

    /// <summary>What every ended execution clears: nobody holds it, and it no longer waits for a slot.</summary>
    private const string Ended = "lease_owner = NULL, lease_expires_at = NULL, parked_at = NULL";

    private static readonly string Told = $"({(short)ExecutionStatus.Failed}, {(short)ExecutionStatus.TimedOut}, {(short)ExecutionStatus.Cancelled})";

    private static readonly string ErrorHandled = $"({string.Join(", ", NotificationEvents.ErrorHandled.Select(s => (short)s))})";

    /// <summary>
    /// The <c>notify</c> flag of an execution <c>e</c> ending with <paramref name="status"/>, set in the statement that ends
    /// it: whether its graph has an error handler (for Failed and TimedOut; never for an error handler's own run, so a
    /// failing handler starts nothing) or an enabled notification endpoint for that status. A run that succeeds pays for
    /// one comparison; a failed one for two primary-key lookups, in the same round trip.
    /// </summary>
    private static string NotifyWhen(string status) => $"""
        CASE WHEN {status} IN {Told} THEN
            ({status} IN {ErrorHandled} AND e.trigger <> {(short)TriggerKind.Error} AND EXISTS (
                SELECT FROM graphs g WHERE g.owner_id = e.owner_id AND g.id = e.graph_id AND g.error_graph_id IS NOT NULL AND g.deleted_at IS NULL))
            OR EXISTS (SELECT FROM notification_endpoints n
                       WHERE n.owner_id = e.owner_id AND n.graph_id = e.graph_id AND n.enabled AND {status} = ANY(n.events))
        ELSE false END
        """;

    /// <summary>
    /// $1–$8 the rows as arrays, $9 the queue time, $10 each row's owner's quota of queued executions, $11 each row's owner's
    /// queued executions as this process knows them, or -1 to count them here (up to the quota, on the owner's Queued
    /// rows, so a count costs at most the quota in index entries), $12 whether each row's inputs reference a blob, $13 the
    /// execution each row retries (or null): inserts the rows that fit their owner's quota, and
    /// answers for each row whether it fitted, whether it was inserted, and its owner's queued executions before the
    /// statement. A trigger ref already used is skipped, not an error: <c>triggered</c> claims each ref in
    /// <c>execution_triggers</c> (whose key waits for a concurrent insert of the same ref to commit or roll back) and only
    /// the executions whose ref it claimed, or that have none, are inserted. Starts committing at the same moment do not see each
    /// other, so an owner may go over the quota by one batch at most. A retry gets, in the same statement, a copy of the
    /// nodes that had completed (succeeded or skipped) in the execution it retries, each marked with the execution that
    /// ran it: they exist before the retry can be claimed, and the claim's resume takes them back instead of running them.
    /// </summary>
    private static readonly string InsertSql = $"""
        WITH r AS (
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::smallint[], $6::text[], $7::boolean[], $8::text[], $10::int[], $11::int[], $12::boolean[], $13::uuid[])
                WITH ORDINALITY AS r(owner_id, id, graph_id, graph_version, trigger, trigger_ref, live, inputs, quota, known, has_blobs, retry_of, n)),
        owners AS (
            SELECT o.owner_id, o.quota,
                   CASE WHEN o.known >= 0 THEN o.known
                        ELSE (SELECT count(*) FROM (SELECT FROM executions e WHERE e.owner_id = o.owner_id AND {ExecutionSql.Is("e", ExecutionStatus.Queued)} LIMIT o.quota) AS q)::int
                   END AS queued
            FROM (SELECT owner_id, min(quota) AS quota, min(known) AS known FROM r GROUP BY owner_id) AS o),
        admitted AS (
            SELECT r.* FROM (SELECT r.*, row_number() OVER (PARTITION BY r.owner_id ORDER BY r.n) AS nth FROM r) AS r
            JOIN owners o ON o.owner_id = r.owner_id
            WHERE r.nth <= o.quota - o.queued),
        triggered AS (
            INSERT INTO execution_triggers (owner_id, trigger, trigger_ref, execution_id, created_at)
            SELECT a.owner_id, a.trigger, a.trigger_ref, a.id, $9 FROM admitted a WHERE a.trigger_ref IS NOT NULL
            ON CONFLICT (owner_id, trigger, trigger_ref) DO NOTHING
            RETURNING execution_id),
        inserted AS (
            INSERT INTO executions (owner_id, id, graph_id, graph_version, trigger, trigger_ref, status, live, inputs,
                                    attempt, last_sequence, sweeps, queued_at, has_blobs, retry_of)
            SELECT a.owner_id, a.id, a.graph_id, a.graph_version, a.trigger, a.trigger_ref, {Queued}, a.live,
                   a.inputs::jsonb, 0, 0, 0, $9, a.has_blobs, a.retry_of
            FROM admitted a
            WHERE a.trigger_ref IS NULL OR a.id IN (SELECT execution_id FROM triggered)
            RETURNING owner_id, id, retry_of),
        reused AS (
            INSERT INTO node_executions (owner_id, execution_id, node_id, status, inputs, outputs, error, attempts, started_at, finished_at, reused_from)
            SELECT n.owner_id, i.id, n.node_id, n.status, n.inputs, n.outputs, n.error, n.attempts, n.started_at, n.finished_at,
                   coalesce(n.reused_from, n.execution_id)
            FROM inserted i JOIN node_executions n ON n.owner_id = i.owner_id AND n.execution_id = i.retry_of
            WHERE n.status IN ({(short)NodeStatus.Succeeded}, {(short)NodeStatus.Skipped}))
        SELECT r.id, EXISTS (SELECT FROM admitted a WHERE a.id = r.id), EXISTS (SELECT FROM inserted i WHERE i.id = r.id), o.queued
        FROM r JOIN owners o ON o.owner_id = r.owner_id
        """;

    private const string FindByTriggerSql = "SELECT execution_id FROM execution_triggers WHERE owner_id = $1 AND trigger = $2 AND trigger_ref = $3";

    /// <summary>
    /// First in each batch of the hot path: the rest of its transaction runs every statement with its generic plan, made
    /// once per connection. Left to choose, PostgreSQL planned the node writes and the wake-up anew on every call
    /// (1.4–1.5 ms each, 6 to 40 times what running them took, with a dozen partitions of <c>executions</c>), because a
    /// generic plan's cost estimate counts every partition; the generic plan prunes them when it runs all the same.
    /// It answers one row, which the reader skips.
    /// </summary>
    private const string GenericPlansSql = "SELECT set_config('plan_cache_mode', 'force_generic_plan', true)";

    /// <summary>
    /// $1 the owners of a claim batch, each once and in order: makes the counter rows that do not exist yet, at 0. The
    /// plain read first keeps it from touching an existing row at all: <c>ON CONFLICT</c> alone would wait for every
    /// claim and finish holding that row, as a uniqueness check waits for the transaction that last changed it.
    /// </summary>
    private const string SlotRowsSql = """
        INSERT INTO owner_slots (owner_id, running)
        SELECT o, 0 FROM unnest($1::uuid[]) AS o
        WHERE NOT EXISTS (SELECT FROM owner_slots s WHERE s.owner_id = o)
        ORDER BY o
        ON CONFLICT (owner_id) DO NOTHING
        """;

    /// <summary>
    /// $1 owners, $2 executions, $3 instances, $4 leases, $5 caps as arrays, each execution once: claims a batch of
    /// executions in one statement. Takes over an expired lease with the slot it holds; claims Queued executions while
    /// their owner has free slots, taking them (the oldest ids first), and parks the rest; answers each status before.
    /// <list type="number">
    /// <item><c>target</c> locks the executions, in one order, and reads them as they are now (not as of the statement's
    /// snapshot), so that a slot is taken only for a row that is still Queued.</item>
    /// <item><c>counter</c> then locks the owners' counter rows, in one order, and reads them as they are now; its one-time
    /// filter makes <c>target</c> lock every execution before the first counter is locked (executions before counters,
    /// the order every statement here keeps). <see cref="SlotRowsSql"/>, earlier in the same transaction, made sure each
    /// row exists.</item>
    /// <item><c>granted</c> is what each owner may take (never more than the cap), <c>taken</c> takes it, and
    /// <c>decided</c> gives the slots to the owner's oldest Queued executions in the batch.</item>
    /// </list>
    /// The claim commits without waiting for its WAL to reach the disk (<c>synchronous_commit</c> off for this transaction
    /// only), so that the owners' counter rows are locked for the statement, not for an fsync: a busy owner's claims and
    /// finishes queue on that row. It is safe because a claim is only ever worth what the run after it stores: a crash
    /// of PostgreSQL within the fraction of a second before the WAL writer flushes it loses the claim and its counter
    /// change together (the row is Queued again, the counter as before), every write of that run is fenced by the lost
    /// attempt and changes nothing, and the sweeper publishes the execution again. The finish, which acknowledges the
    /// message, and the start, which answers the trigger, still wait for the disk, and they flush every claim before them.
    /// </summary>
    private static readonly string ClaimSql = $"""
        WITH request AS (
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::interval[], $5::int[]) AS r(owner_id, id, instance, lease, cap)),
        target AS (
            SELECT e.owner_id, e.id, e.status, r.cap
            FROM executions e JOIN request r ON e.owner_id = r.owner_id AND e.id = r.id
            WHERE {Claimable} AND {InBatch}
            ORDER BY e.owner_id, e.id
            FOR UPDATE OF e),
        need AS (
            SELECT owner_id, count(*)::int AS wanted, min(cap) AS cap FROM target WHERE status = {Queued} GROUP BY owner_id),
        counter AS (
            SELECT o.owner_id, o.running FROM owner_slots o
            WHERE o.owner_id IN (SELECT owner_id FROM need) AND (SELECT count(*) FROM target) >= 0
            ORDER BY o.owner_id
            FOR NO KEY UPDATE),
        granted AS (
            SELECT n.owner_id, greatest(0, least(n.wanted, n.cap - c.running)) AS slots
            FROM need n JOIN counter c ON c.owner_id = n.owner_id),
        taken AS (
            UPDATE owner_slots o SET running = o.running + g.slots
            FROM granted g
            WHERE o.owner_id = g.owner_id AND g.slots > 0
            RETURNING 1),
        decided AS (
            SELECT t.owner_id, t.id,
                   t.status = {Running} OR row_number() OVER (PARTITION BY t.owner_id, t.status ORDER BY t.id) <= coalesce(g.slots, 0) AS claim
            FROM target t LEFT JOIN granted g ON g.owner_id = t.owner_id),
        claimed AS (
            UPDATE executions e
            SET status = {Running}, attempt = e.attempt + 1, lease_owner = r.instance, lease_expires_at = now() + r.lease,
                started_at = coalesce(e.started_at, now()), parked_at = NULL
            FROM decided d JOIN request r ON r.owner_id = d.owner_id AND r.id = d.id
            WHERE e.owner_id = d.owner_id AND e.id = d.id AND d.claim AND {InBatch}
            RETURNING e.owner_id, e.id, e.attempt, e.last_sequence),
        parked AS (
            UPDATE executions e SET parked_at = coalesce(e.parked_at, now())
            FROM decided d
            WHERE e.owner_id = d.owner_id AND e.id = d.id AND NOT d.claim AND {InBatch}
            RETURNING e.owner_id, e.id)
        SELECT e.id, coalesce(t.status, e.status), c.attempt, p.id IS NOT NULL,
               e.graph_id, e.graph_version, e.trigger, e.live, e.inputs::text, c.last_sequence, e.retry_of
        FROM request r
        JOIN executions e ON e.owner_id = r.owner_id AND e.id = r.id AND {InBatch}
        LEFT JOIN target t ON t.owner_id = r.owner_id AND t.id = r.id
        LEFT JOIN claimed c ON c.owner_id = r.owner_id AND c.id = r.id
        LEFT JOIN parked p ON p.owner_id = r.owner_id AND p.id = r.id
        CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS committed_without_waiting_for_disk
        """;

    /// <summary>$1 owner, $2 execution, $3 instance, $4 attempt.</summary>
    private static readonly string Fence = $"owner_id = $1 AND id = $2 AND status = {Running} AND lease_owner = $3 AND attempt = $4";

    /// <summary>$1 owners, $2 executions, $3 lease owners, $4 attempts as arrays: each row fenced as one claim.</summary>
    private const string Fences = "unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[]) AS c(owner_id, id, lease_owner, attempt)";

    private static readonly string Fenced = $"e.owner_id = c.owner_id AND e.id = c.id AND e.status = {Running} AND e.lease_owner = c.lease_owner AND e.attempt = c.attempt AND {InBatch}";

    /// <summary>
    /// $1–$4 the fences (see <see cref="Fences"/>), $5 the lease. The rows are locked in one order first, as the batched
    /// finishes lock them, so that a renewal and a finish of the same runs never wait for each other's rows.
    /// </summary>
    private static readonly string RenewSql = $"""
        WITH fenced AS (
            SELECT e.owner_id, e.id FROM executions e JOIN {Fences} ON {Fenced}
            ORDER BY e.owner_id, e.id
            FOR NO KEY UPDATE OF e)
        UPDATE executions e SET lease_expires_at = now() + $5
        FROM fenced f
        WHERE e.owner_id = f.owner_id AND e.id = f.id AND {InBatch}
        RETURNING e.id
        """;

    private static readonly string ReleaseSql = $"UPDATE executions SET lease_expires_at = now() WHERE {Fence}";

    /// <summary>
    /// $1–$4 the fences of the claims (see <see cref="Fences"/>), $5–$14 the node rows with their executions, as arrays:
    /// one statement whatever the row count (no parameter limit). <c>fenced</c> locks the executions whose lease still
    /// holds, in one order, whether or not they have rows to write: a takeover's claim that commits first makes the fence
    /// fail (the lock re-reads the row), and one that comes second waits for these nodes to commit and then finds them.
    /// Without the lock, nodes written while a takeover claimed were committed after it had read the completed nodes,
    /// and it ran them again.
    /// </summary>
    private static readonly string UpsertNodesSql = $"""
        WITH fenced AS (
            SELECT e.owner_id, e.id FROM executions e JOIN {Fences} ON {Fenced}
            ORDER BY e.owner_id, e.id
            FOR NO KEY UPDATE OF e),
        written AS (
            INSERT INTO node_executions (owner_id, execution_id, node_id, status, inputs, outputs, error, attempts, started_at, finished_at)
            SELECT n.owner_id, n.execution_id, n.node_id, n.status, n.inputs::jsonb, n.outputs::jsonb, n.error::jsonb, n.attempts, n.started_at, n.finished_at
            FROM unnest($5::uuid[], $6::uuid[], $7::text[], $8::smallint[], $9::text[], $10::text[], $11::text[], $12::int[], $13::timestamptz[], $14::timestamptz[])
                AS n(owner_id, execution_id, node_id, status, inputs, outputs, error, attempts, started_at, finished_at)
            JOIN fenced f ON f.owner_id = n.owner_id AND f.id = n.execution_id
            ON CONFLICT (owner_id, execution_id, node_id) DO UPDATE SET
                status = excluded.status,
                inputs = coalesce(excluded.inputs, node_executions.inputs),
                outputs = excluded.outputs,
                error = excluded.error,
                attempts = greatest(excluded.attempts, node_executions.attempts),
                started_at = coalesce(excluded.started_at, node_executions.started_at),
                finished_at = excluded.finished_at
            RETURNING 1)
        SELECT (SELECT count(*) FROM fenced), (SELECT count(*) FROM written)
        """;

    /// <summary>
    /// $1–$4 the fences (see <see cref="Fences"/>) of the runs whose rows in this batch reference a blob: marks their
    /// executions, in the transaction that stores the references, so that retention finds every execution with blobs.
    /// The node writes before it in the batch locked these rows already; a row marked before is not written again.
    /// </summary>
    private static readonly string MarkBlobsSql = $"UPDATE executions e SET has_blobs = true FROM {Fences} WHERE {Fenced} AND NOT e.has_blobs";

    private static readonly string SequenceSql = $"UPDATE executions SET last_sequence = greatest(last_sequence, $5) WHERE {Fence} RETURNING 1";

    /// <summary>
    /// $1–$4 the fences (see <see cref="Fences"/>), then $5 statuses, $6 outputs, $7 errors, $8 finish times, $9 last
    /// sequences as arrays: ends a batch of runs, and gives a slot back for each one that matched its fence, so exactly
    /// once per claim. The node writes before it in the same transaction locked these executions; <c>counter</c> locks the
    /// owners' counter rows in one order, once every execution is ended (its one-time filter), and all of them before
    /// the first is changed (the one-time filter of <c>freed</c>). They stay locked to the end of the batch (the wake-up).
    /// </summary>
    private static readonly string FinishSql = $"""
        WITH finished AS (
            UPDATE executions e
            SET status = f.status, outputs = f.outputs::jsonb, error = f.error::jsonb, finished_at = f.finished_at,
                last_sequence = f.last_sequence, notify = {NotifyWhen("f.status")}, {Ended}
            FROM {Fences}
            JOIN unnest($1::uuid[], $2::uuid[], $5::smallint[], $6::text[], $7::text[], $8::timestamptz[], $9::bigint[])
                AS f(owner_id, id, status, outputs, error, finished_at, last_sequence) ON f.owner_id = c.owner_id AND f.id = c.id
            WHERE {Fenced}
            RETURNING e.owner_id, e.id, e.notify),
        counter AS (
            SELECT o.owner_id FROM owner_slots o
            WHERE o.owner_id IN (SELECT owner_id FROM finished) AND (SELECT count(*) FROM finished) >= 0
            ORDER BY o.owner_id
            FOR NO KEY UPDATE),
        freed AS (
            UPDATE owner_slots o SET running = o.running - g.slots
            FROM (SELECT owner_id, count(*)::int AS slots FROM finished GROUP BY owner_id) g
            WHERE o.owner_id = g.owner_id AND (SELECT count(*) FROM counter) >= 0
            RETURNING 1)
        SELECT id, notify FROM finished
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
        WHERE e.owner_id = chosen.owner_id AND e.id = chosen.id AND {PartitionedTable.Executions.KeyWithin("e", "array(SELECT id FROM chosen)")}
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
            WHERE {Claimable} AND {InBatch}
            ORDER BY e.owner_id, e.id
            FOR UPDATE OF e),
        ended AS (
            UPDATE executions e
            SET status = s.status, error = s.error::jsonb, finished_at = $5, notify = {NotifyWhen("s.status")}, {Ended}
            FROM target t, unnest($1::uuid[], $2::uuid[], $3::smallint[], $4::text[]) AS s(owner_id, id, status, error)
            WHERE e.owner_id = t.owner_id AND e.id = t.id AND s.owner_id = t.owner_id AND s.id = t.id AND {InBatch}
            RETURNING e.owner_id, e.id, t.status AS was, e.notify),
        freed AS (
            UPDATE owner_slots o SET running = o.running - f.slots
            FROM (SELECT owner_id, count(*)::int AS slots FROM ended WHERE was = {Running} GROUP BY owner_id) f
            WHERE o.owner_id = f.owner_id
            RETURNING 1)
        SELECT owner_id, id, was, notify FROM ended
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
        WHERE {ExecutionSql.Unfinished("e")}
          AND coalesce(swept_at, queued_at) < $1
          AND ((status = {Queued} AND (parked_at IS NULL
                  OR NOT EXISTS (SELECT FROM owner_slots o WHERE o.owner_id = e.owner_id AND o.running > 0)))
               OR (status = {Running} AND lease_expires_at < $1))
        ORDER BY queued_at
        LIMIT $2
        FOR UPDATE SKIP LOCKED
        """;

    private static readonly string SweptSql = $"""
        UPDATE executions e SET sweeps = e.sweeps + 1, swept_at = $3
        FROM unnest($1::uuid[], $2::uuid[]) AS s(owner_id, id)
        WHERE e.owner_id = s.owner_id AND e.id = s.id AND {InBatch}
        """;

    /// <summary>$1 owner, $2 execution: the notification of its end was handled (or given up).</summary>
    private static readonly string NotifiedSql = $"UPDATE executions SET notify = false WHERE owner_id = $1 AND id = $2 AND notify";

    /// <summary>
    /// $1 the threshold's edge (now − threshold), $2 how many, $3 now, $4 the most sweeps: the ended executions whose
    /// notification is still to handle since before the edge (its publish was lost, or its consumer died), each counted
    /// as swept; one swept that often is given up (the flag cleared) and not answered. The partial index of flagged rows
    /// serves the scan.
    /// </summary>
    private static readonly string UnnotifiedSql = $"""
        WITH stale AS (
            SELECT owner_id, id FROM executions
            WHERE notify AND coalesce(swept_at, finished_at) < $1
            ORDER BY finished_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED)
        UPDATE executions e SET swept_at = $3, sweeps = e.sweeps + 1, notify = e.sweeps + 1 < $4
        FROM stale
        WHERE e.owner_id = stale.owner_id AND e.id = stale.id AND {PartitionedTable.Executions.KeyWithin("e", "array(SELECT id FROM stale)")}
        RETURNING e.owner_id, e.id, e.notify
        """;

    /// <summary>
    /// A condition for another table's statement (the schedule dispatcher's overlap rule): true when the owner's
    /// execution named by <paramref name="executionId"/> has not ended. Kept here so that "unfinished" has one definition.
    /// </summary>
    public static string IsUnfinished(string ownerId, string executionId) =>
        $"EXISTS (SELECT FROM executions x WHERE x.owner_id = {ownerId} AND x.id = {executionId} AND {ExecutionSql.Unfinished("x")})";

    /// <summary>
    /// Inserts executions as Queued in one statement, each if its owner's quota of queued executions has room (each owner's
    /// queue counted at most once a second, see <see cref="QueuedCounts"/>); a trigger ref that already has an execution is
    /// left out. With a <paramref name="transaction"/> the rows commit with the caller's own changes (the Scheduler
    /// advancing its schedules, a thousand owners' fires at once).
    /// </summary>
    public Task<Dictionary<Guid, Insertion>> InsertQueuedAsync(
        IReadOnlyList<QueuedStart> starts, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        InsertAsync(dataSource, starts, queuedCounts, transaction, cancellationToken);

    /// <summary>Single starts, inserted together as they arrive.</summary>
    private static GroupCommit<QueuedStart, Insertion> StartsInBatches(NpgsqlDataSource dataSource, QueuedCounts counts) =>
        new(async (starts, cancellationToken) =>
        {
            var insertions = await InsertAsync(dataSource, starts, counts, transaction: null, cancellationToken);
            return [.. starts.Select(start => insertions[start.Execution.Id])];
        });

    private static async Task<Dictionary<Guid, Insertion>> InsertAsync(
        NpgsqlDataSource dataSource, IReadOnlyList<QueuedStart> starts, QueuedCounts counts, NpgsqlTransaction? transaction,
        CancellationToken cancellationToken)
    {
        await using var command = transaction is null
            ? dataSource.CreateCommand(InsertSql)
            : new NpgsqlCommand(InsertSql, transaction.Connection, transaction);
        var executions = starts.Select(start => start.Execution).ToList();
        var known = executions.Select(e => e.OwnerId).Distinct().ToDictionary(owner => owner, owner => counts.Fresh(owner) ?? -1);
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => e.OwnerId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => e.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => e.GraphId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => e.GraphVersion).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => (short)e.Trigger).ToArray() });
        command.Parameters.Add(Texts(executions.Select(e => e.TriggerRef)));
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => e.Live).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => e.Inputs).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = executions[0].QueuedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = starts.Select(start => start.QueuedQuota).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => known[e.OwnerId]).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = executions.Select(e => e.HasBlobs).ToArray() });
        command.Parameters.Add(Ids(executions.Select(e => e.RetryOf)));

        var insertions = new Dictionary<Guid, Insertion>(starts.Count);
        var queuedBefore = new Dictionary<Guid, int>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetGuid(0);
                insertions[id] = !reader.GetBoolean(1) ? Insertion.OverQuota : reader.GetBoolean(2) ? Insertion.Inserted : Insertion.Duplicate;
                queuedBefore[id] = reader.GetInt32(3);
            }
        }

        foreach (var owner in executions.GroupBy(e => e.OwnerId))
        {
            var added = owner.Count(e => insertions[e.Id] == Insertion.Inserted);
            if (known[owner.Key] < 0)
            {
                counts.Counted(owner.Key, queuedBefore[owner.First().Id] + added);
            }
            else
            {
                counts.Queued(owner.Key, added);
            }
        }

        return insertions;
    }

    /// <summary>
    /// Inserts one execution as Queued, in the same statement as the other starts that arrive meanwhile (group commit):
    /// under load, many deliveries cost one insert and one commit.
    /// </summary>
    public Task<Insertion> InsertQueuedAsync(QueuedStart start) => _starts.WriteAsync(start);

    /// <summary>The execution a trigger event started, if any.</summary>
    public async Task<Guid?> FindByTriggerAsync(Guid ownerId, TriggerKind trigger, string triggerRef, CancellationToken cancellationToken)
    {
        await using var command = Command(dataSource.CreateCommand(FindByTriggerSql), ownerId, (short)trigger, triggerRef);
        return await command.ExecuteScalarAsync(cancellationToken) is Guid id ? id : null;
    }

    /// <summary>
    /// Claims an execution for <paramref name="instance"/>, in the same statement as the other claims this process makes
    /// meanwhile (group commit: under load, a Worker's claims cost one statement and one counter update per owner).
    /// Once asked, the claim is made even if the caller stops waiting; its lease then expires and another worker takes over.
    /// </summary>
    /// <param name="maxRunningPerOwner">The owner's cap; claims of one owner in one batch share the smallest asked for.</param>
    public Task<ClaimResult> ClaimAsync(Guid ownerId, Guid executionId, string instance, TimeSpan lease, int maxRunningPerOwner) =>
        _claims.WriteAsync(new ClaimRequest(ownerId, executionId, instance, lease, maxRunningPerOwner));

    private static async Task<IReadOnlyList<ClaimResult>> ClaimAsync(
        NpgsqlDataSource dataSource, IReadOnlyList<ClaimRequest> requests, CancellationToken cancellationToken)
    {
        // Each execution once in the statement: a second claim of it in the batch finds it claimed by the first.
        var distinct = requests.DistinctBy(r => r.ExecutionId).ToList();
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(GenericPlansSql));
        batch.BatchCommands.Add(Command(new NpgsqlBatchCommand(SlotRowsSql), distinct.Select(r => r.OwnerId).Distinct().Order().ToArray()));
        batch.BatchCommands.Add(Command(new NpgsqlBatchCommand(ClaimSql),
            distinct.Select(r => r.OwnerId).ToArray(),
            distinct.Select(r => r.ExecutionId).ToArray(),
            distinct.Select(r => r.Instance).ToArray(),
            distinct.Select(r => r.Lease).ToArray(),
            distinct.Select(r => r.MaxRunningPerOwner).ToArray()));

        var found = new Dictionary<Guid, ClaimResult>();
        // After the plans' setting, the counter rows' statement returns no rows: the next result is the claim's.
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var request = distinct.First(r => r.ExecutionId == reader.GetGuid(0));
                found[request.ExecutionId] = ReadClaim(reader, request);
            }
        }

        var answered = new HashSet<Guid>();
        return [.. requests.Select(r => !found.TryGetValue(r.ExecutionId, out var result) ? new ClaimResult(ClaimOutcome.NotFound)
            : answered.Add(r.ExecutionId) || result.Outcome != ClaimOutcome.Claimed ? result
            : new ClaimResult(ClaimOutcome.HeldElsewhere))];
    }

    private static ClaimResult ReadClaim(NpgsqlDataReader reader, ClaimRequest request)
    {
        var status = (ExecutionStatus)reader.GetInt16(1);
        if (!reader.IsDBNull(2))
        {
            return new ClaimResult(ClaimOutcome.Claimed, new Claim(
                request.OwnerId,
                request.ExecutionId,
                request.Instance,
                Attempt: reader.GetInt32(2),
                Takeover: status == ExecutionStatus.Running,
                GraphId: reader.GetGuid(4),
                GraphVersion: reader.GetInt32(5),
                Trigger: (TriggerKind)reader.GetInt16(6),
                Live: reader.GetBoolean(7),
                Inputs: reader.GetString(8),
                LastSequence: reader.GetInt64(9),
                RetryOf: reader.IsDBNull(10) ? null : reader.GetGuid(10)));
        }

        // Unfinished but neither claimed nor parked: another worker holds it (or claimed it a moment ago).
        return reader.GetBoolean(3) ? new ClaimResult(ClaimOutcome.Parked)
            : status is ExecutionStatus.Queued or ExecutionStatus.Running ? new ClaimResult(ClaimOutcome.HeldElsewhere)
            : new ClaimResult(ClaimOutcome.Finished);
    }

    /// <summary>
    /// Renews the leases of one instance's claims in one statement, whatever their number (the Worker renews all of its
    /// runs at once). A claim missing from the answer has lost its lease: another worker took over, or it ended elsewhere.
    /// </summary>
    /// <returns>The executions whose lease was renewed.</returns>
    public async Task<HashSet<Guid>> RenewAsync(IReadOnlyList<Claim> claims, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(RenewSql);
        AddFences(command.Parameters, claims);
        command.Parameters.Add(new NpgsqlParameter { Value = lease });
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
        batch.BatchCommands.Add(new NpgsqlBatchCommand(GenericPlansSql));
        batch.BatchCommands.Add(UpsertNodes([claim], [.. rows.Select(row => (claim, row))]));
        if (rows.Any(row => row.HasBlobs))
        {
            batch.BatchCommands.Add(MarkBlobs([claim]));
        }

        var sequence = new NpgsqlBatchCommand(SequenceSql);
        AddFence(sequence.Parameters, claim);
        sequence.Parameters.Add(new NpgsqlParameter { Value = lastSequence });
        batch.BatchCommands.Add(sequence);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Stores a run's outcome: its nodes, its final status (releasing the lease and giving its slot back), and wakes the
    /// owner's oldest parked execution now that a slot is free. Finishes that this process makes meanwhile share the
    /// round trip and the transaction (group commit: under load, one WAL flush for many runs). Once asked, it is stored
    /// even if the caller stops waiting: an outcome that exists is kept while the process stops.
    /// </summary>
    /// <param name="hasBlobs">Whether <paramref name="outputs"/> reference a blob (the rows say so of themselves).</param>
    /// <returns>
    /// Whether the outcome was stored (false: the lease was lost), the executions woken, to publish, and whether someone
    /// is to be told of the end (publish <see cref="Messages.ExecutionCompleted"/>).
    /// </returns>
    public Task<(bool Stored, IReadOnlyList<Guid> Woken, bool Notify)> FinishAsync(
        Claim claim, IReadOnlyCollection<NodeRow> rows, ExecutionStatus status, string outputs, string? error, DateTimeOffset finishedAt, long lastSequence,
        bool hasBlobs = false) =>
        _finishes.WriteAsync(new Finish(claim, rows, status, outputs, error, finishedAt, lastSequence, hasBlobs));

    /// <summary>
    /// Finishes a batch in one round trip and one transaction: the node rows of all of them, the final updates, and one
    /// wake-up per slot that may have been given back (a finish whose lease was lost wakes one too many, whose claim then
    /// finds the owner at the cap and parks it again; never one too few).
    /// </summary>
    private static async Task<IReadOnlyList<(bool Stored, IReadOnlyList<Guid> Woken, bool Notify)>> FinishAsync(
        NpgsqlDataSource dataSource, IReadOnlyList<Finish> finishes, CancellationToken cancellationToken)
    {
        var claims = finishes.Select(f => f.Claim).ToList();
        var owners = finishes.GroupBy(f => f.Claim.OwnerId).OrderBy(g => g.Key).ToList();
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(GenericPlansSql));
        batch.BatchCommands.Add(UpsertNodes(claims, [.. finishes.SelectMany(f => f.Nodes.Select(row => (f.Claim, row)))]));
        var referencing = finishes.Where(f => f.References).Select(f => f.Claim).ToList();
        if (referencing.Count > 0)
        {
            batch.BatchCommands.Add(MarkBlobs(referencing));
        }

        var finish = new NpgsqlBatchCommand(FinishSql);
        AddFences(finish.Parameters, claims);
        finish.Parameters.Add(new NpgsqlParameter { Value = finishes.Select(f => (short)f.Status).ToArray() });
        finish.Parameters.Add(Texts(finishes.Select(f => f.Outputs)));
        finish.Parameters.Add(Texts(finishes.Select(f => f.Error)));
        finish.Parameters.Add(Times(finishes.Select(f => (DateTimeOffset?)f.FinishedAt)));
        finish.Parameters.Add(new NpgsqlParameter { Value = finishes.Select(f => f.LastSequence).ToArray() });
        batch.BatchCommands.Add(finish);
        batch.BatchCommands.Add(Command(new NpgsqlBatchCommand(WakeSql), owners.Select(g => g.Key).ToArray(), owners.Select(g => g.Count()).ToArray()));

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        // Past the plans' setting and the node writes' counts.
        await reader.NextResultAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var stored = new Dictionary<Guid, bool>();
        while (await reader.ReadAsync(cancellationToken))
        {
            stored[reader.GetGuid(0)] = reader.GetBoolean(1);
        }

        await reader.NextResultAsync(cancellationToken);
        // Each owner's woken executions go to one of its finishes, whose consumer publishes them.
        var woken = (await ReadWokenAsync(reader, cancellationToken)).ToLookup(w => w.OwnerId, w => w.ExecutionId);
        var handedOut = new HashSet<Guid>();
        return [.. finishes.Select(f => (
            stored.ContainsKey(f.Claim.ExecutionId),
            handedOut.Add(f.Claim.OwnerId) ? (IReadOnlyList<Guid>)[.. woken[f.Claim.OwnerId]] : [],
            stored.GetValueOrDefault(f.Claim.ExecutionId)))];
    }

    /// <summary>
    /// The nodes a previous attempt finished (or, in a retry, that were reused from the execution it retries), for the
    /// engine to take back instead of running them again; their outputs
    /// referencing blob storage are read back through <paramref name="values"/>.
    /// </summary>
    public async Task<IReadOnlyList<NodeResult>> LoadCompletedNodesAsync(Claim claim, ExecutionValues values, CancellationToken cancellationToken)
    {
        var nodes = new List<(NodeResult Node, Dictionary<string, JsonNode?> Outputs)>();
        await using (var command = Command(dataSource.CreateCommand(CompletedNodesSql), claim.OwnerId, claim.ExecutionId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var outputs = reader.IsDBNull(2) ? new Dictionary<string, JsonNode?>() : JsonText.Properties(reader.GetString(2));
                nodes.Add((new NodeResult
                {
                    NodeId = reader.GetString(0),
                    Status = (NodeStatus)reader.GetInt16(1),
                    Outputs = outputs,
                    Error = reader.IsDBNull(3) ? null : JsonSerializer.Deserialize(reader.GetString(3), GraphExecJsonContext.Default.ExecutionError),
                }, outputs));
            }
        }

        // Once the connection is back in the pool: reading a large value from blob storage may take a while.
        foreach (var (_, outputs) in nodes)
        {
            await values.ResolveAsync(outputs, cancellationToken);
        }

        return [.. nodes.Select(n => n.Node)];
    }

    /// <summary>
    /// Fails an execution that no worker holds (Queued, or its lease expired), after its message faulted; one that was
    /// Running gives its slot back and wakes the owner's oldest parked execution.
    /// </summary>
    /// <returns>
    /// Whether it was failed here (false when it had ended, or runs elsewhere), the executions woken, to publish, and
    /// whether someone is to be told of the end (publish <see cref="Messages.ExecutionCompleted"/>).
    /// </returns>
    public async Task<(bool Failed, IReadOnlyList<Guid> Woken, bool Notify)> FailUnclaimedAsync(
        Guid ownerId, Guid executionId, ExecutionError error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (ended, woken) = await EndUnclaimedAsync(connection, null, [(ownerId, executionId, ExecutionStatus.Failed, error)], now, cancellationToken);
        return (ended.Count == 1, woken.Select(w => w.ExecutionId).ToList(), ended is [{ Notify: true }]);
    }

    /// <summary>
    /// Cancels an execution that no worker runs (Queued, or Running with an expired lease) with a conditional update, so
    /// that no claim can start it afterwards; one that was Running gives its slot back and wakes the owner's oldest
    /// parked execution.
    /// </summary>
    /// <returns>
    /// Whether it was cancelled here, its status (null when the owner has no such execution), the executions woken, to
    /// publish, and whether someone is to be told of the end (publish <see cref="Messages.ExecutionCompleted"/>).
    /// </returns>
    public async Task<(bool Cancelled, ExecutionStatus? Status, IReadOnlyList<Guid> Woken, bool Notify)> CancelUnclaimedAsync(
        Guid ownerId, Guid executionId, ExecutionError error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (ended, woken) = await EndUnclaimedAsync(connection, null, [(ownerId, executionId, ExecutionStatus.Cancelled, error)], now, cancellationToken);
        if (ended.Count == 1)
        {
            return (true, ExecutionStatus.Cancelled, woken.Select(w => w.ExecutionId).ToList(), ended[0].Notify);
        }

        await using var command = Command(new NpgsqlCommand(StatusSql, connection), ownerId, executionId);
        return (false, await command.ExecuteScalarAsync(cancellationToken) is short status ? (ExecutionStatus)status : null, [], false);
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

    /// <summary>Clears the execution's <c>notify</c> flag: whoever was to be told of its end was (or the attempts ran out).</summary>
    public async Task NotifiedAsync(Guid ownerId, Guid executionId, CancellationToken cancellationToken)
    {
        await using var command = Command(dataSource.CreateCommand(NotifiedSql), ownerId, executionId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Takes up to <paramref name="limit"/> ended executions whose notification is still pending since before
    /// <paramref name="edge"/>, to publish <see cref="Messages.ExecutionCompleted"/> again; one already swept
    /// <paramref name="maxSweeps"/> times is given up instead (left out of the answer).
    /// </summary>
    public async Task<List<(Guid OwnerId, Guid ExecutionId)>> SweepNotificationsAsync(
        DateTimeOffset edge, int limit, int maxSweeps, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = Command(dataSource.CreateCommand(UnnotifiedSql), edge, limit, now, maxSweeps);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pending = new List<(Guid OwnerId, Guid ExecutionId)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetBoolean(2))
            {
                pending.Add((reader.GetGuid(0), reader.GetGuid(1)));
            }
        }

        return pending;
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
    private static async Task<(List<(Guid Id, bool Notify)> Ended, List<(Guid OwnerId, Guid ExecutionId)> Woken)> EndUnclaimedAsync(
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
        var ended = new List<(Guid Id, bool Notify)>();
        var freed = new Dictionary<Guid, int>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ended.Add((reader.GetGuid(1), reader.GetBoolean(3)));
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

    private static NpgsqlBatchCommand UpsertNodes(IReadOnlyList<Claim> claims, IReadOnlyList<(Claim Claim, NodeRow Row)> rows)
    {
        var command = new NpgsqlBatchCommand(UpsertNodesSql);
        AddFences(command.Parameters, claims);
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Claim.OwnerId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Claim.ExecutionId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Row.NodeId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => (short)r.Row.Status).ToArray() });
        command.Parameters.Add(Texts(rows.Select(r => r.Row.Inputs)));
        command.Parameters.Add(Texts(rows.Select(r => r.Row.Outputs)));
        command.Parameters.Add(Texts(rows.Select(r => r.Row.Error)));
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Row.Attempts).ToArray() });
        command.Parameters.Add(Times(rows.Select(r => r.Row.StartedAt)));
        command.Parameters.Add(Times(rows.Select(r => r.Row.FinishedAt)));
        return command;
    }

    private static NpgsqlBatchCommand MarkBlobs(IReadOnlyCollection<Claim> claims)
    {
        var command = new NpgsqlBatchCommand(MarkBlobsSql);
        AddFences(command.Parameters, claims);
        return command;
    }

    /// <summary>One claim's fence, as <see cref="Fence"/> reads it.</summary>
    private static void AddFence(NpgsqlParameterCollection parameters, Claim claim)
    {
        parameters.Add(new NpgsqlParameter { Value = claim.OwnerId });
        parameters.Add(new NpgsqlParameter { Value = claim.ExecutionId });
        parameters.Add(new NpgsqlParameter { Value = claim.LeaseOwner });
        parameters.Add(new NpgsqlParameter { Value = claim.Attempt });
    }

    /// <summary>Claims' fences, as <see cref="Fences"/> reads them.</summary>
    private static void AddFences(NpgsqlParameterCollection parameters, IReadOnlyCollection<Claim> claims)
    {
        parameters.Add(new NpgsqlParameter { Value = claims.Select(c => c.OwnerId).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = claims.Select(c => c.ExecutionId).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = claims.Select(c => c.LeaseOwner).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = claims.Select(c => c.Attempt).ToArray() });
    }

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
