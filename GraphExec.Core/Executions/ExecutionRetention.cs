using GraphExec.Core.Data;
using GraphExec.Core.Data.Partitioning;
using GraphExec.Core.Values;
using GraphExec.Engine;
using Npgsql;

namespace GraphExec.Core.Executions;

/// <summary>
/// The one place that deletes executions and their node rows when they expire (docs/scaling.md). A day's partitions
/// are dropped once older than the default retention: the rows that must outlive them (pinned, unfinished, or of a user
/// whose retention is longer) are inserted into the parent right after the detach, in the same transaction, which routes
/// them to the DEFAULT partition; so the common case is O(1) and the cost O(rows kept), each found through an index.
/// Users with a shorter retention, and what the DEFAULT partition holds, are deleted in batches by owner-leading keys.
/// Blobs go first, then rows: a blob whose row is gone could never be found again.
/// </summary>
public sealed class ExecutionRetention(NpgsqlDataSource dataSource, TablePartitions partitions, IExecutionBlobs blobs)
{
    /// <summary>
    /// Kept past its partition: pinned, unfinished, or within its owner's retention ($1 now). A condition on <c>e</c>,
    /// written once for the drop, the blobs before it and the scan of the DEFAULT partition.
    /// </summary>
    private static readonly string Kept = $"""
        (e.pinned OR {ExecutionSql.Unfinished("e")}
         OR EXISTS (SELECT FROM users u WHERE u.id = e.owner_id AND e.id >= uuid7_floor($1 - make_interval(days => u.retention_days))))
        """;

    /// <summary>
    /// $1 now, $2 the default retention in days, <paramref name="columns"/> the columns to copy (qualified by <c>e</c>): the
    /// rows of a dropped partition to keep, each kind through its index
    /// (the pinned and the unfinished ones by their partial indexes, the longer-retention users' by the users' retention
    /// index and the partition's primary key), never a scan of the partition.
    /// </summary>
    private static string KeptIn(string partition, string columns) => $"""
        SELECT {columns} FROM "{partition}" e WHERE e.pinned
        UNION
        SELECT {columns} FROM "{partition}" e WHERE {ExecutionSql.Unfinished("e")}
        UNION
        SELECT {columns} FROM users u JOIN "{partition}" e ON e.owner_id = u.id
        WHERE u.retention_days > $2 AND e.id >= uuid7_floor($1 - make_interval(days => u.retention_days))
        """;

    /// <summary>
    /// $1 owners, $2 executions: deletes them (never a pinned one) and their node rows, each table pruned to the batch's
    /// partitions (<see cref="PartitionedTable.KeyWithin"/>; <c>= ANY($2)</c> prunes nothing in a prepared plan).
    /// </summary>
    private static readonly string DeleteSql = $"""
        WITH gone AS (
            DELETE FROM executions e USING unnest($1::uuid[], $2::uuid[]) AS k(owner_id, id)
            WHERE e.owner_id = k.owner_id AND e.id = k.id AND {PartitionedTable.Executions.KeyWithin("e", "$2::uuid[]")} AND NOT e.pinned
            RETURNING e.owner_id, e.id),
        nodes AS (
            DELETE FROM node_executions n USING gone
            WHERE n.owner_id = gone.owner_id AND n.execution_id = gone.id AND {PartitionedTable.NodeExecutions.KeyWithin("n", "$2::uuid[]")}
            RETURNING 1)
        SELECT (SELECT count(*) FROM gone)::int, (SELECT count(*) FROM nodes)::int
        """;

    /// <summary>How many executions a delete or a blob call takes at once.</summary>
    public int BatchSize { get; init; } = 1_000;

    /// <summary>
    /// Drops the executions partition <paramref name="partition"/> and the node partition of the same range, keeping the
    /// rows that must outlive them (moved to the DEFAULT partitions). The blobs of the executions not kept are deleted
    /// first, outside the transaction (deleting one twice is no error, so a drop that is tried again is safe).
    /// </summary>
    public async Task<PartitionExpiry> DropAsync(
        TimePartition partition, TimePartition? nodes, DateTimeOffset now, int defaultRetentionDays, CancellationToken cancellationToken)
    {
        var low = partition.From is { } from ? Uuid7.Floor(from) : Guid.Empty;
        var high = Uuid7.Floor(partition.To);
        var withBlobs = await ReadKeysAsync($"""
            SELECT e.owner_id, e.id FROM executions e
            WHERE e.has_blobs AND e.id >= $2 AND e.id < $3 AND NOT {Kept}
            """, [now, low, high], cancellationToken);
        await DeleteBlobsAsync(withBlobs, cancellationToken);

        var (kept, keptNodes) = await partitions.InTransactionAsync(async (connection, transaction) =>
        {
            await TablePartitions.DetachAsync(connection, transaction, PartitionedTable.Executions, partition, cancellationToken);
            if (nodes is not null)
            {
                await TablePartitions.DetachAsync(connection, transaction, PartitionedTable.NodeExecutions, nodes, cancellationToken);
            }

            var moveNodes = nodes is null ? "SELECT 0" : $"""
                INSERT INTO node_executions SELECT n.* FROM "{nodes.Name}" n JOIN kept k ON n.owner_id = k.owner_id AND n.execution_id = k.id
                RETURNING 1
                """;
            var columns = await TablePartitions.ColumnsAsync(connection, transaction, PartitionedTable.Executions, cancellationToken);
            var keptColumns = await TablePartitions.ColumnsAsync(connection, transaction, PartitionedTable.Executions, cancellationToken, alias: "e");
            await using var move = new NpgsqlCommand($"""
                WITH kept AS (INSERT INTO executions ({columns}) {KeptIn(partition.Name, keptColumns)} RETURNING owner_id, id),
                     kept_nodes AS ({moveNodes})
                SELECT (SELECT count(*) FROM kept)::int, (SELECT count(*) FROM kept_nodes)::int
                """, connection, transaction)
            {
                Parameters = { new() { Value = now }, new() { Value = defaultRetentionDays } },
            };
            await using var reader = await move.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var counts = (reader.GetInt32(0), reader.GetInt32(1));
            await reader.DisposeAsync();

            await using var drop = new NpgsqlCommand(
                nodes is null ? $"DROP TABLE \"{partition.Name}\"" : $"DROP TABLE \"{partition.Name}\", \"{nodes.Name}\"", connection, transaction);
            await drop.ExecuteNonQueryAsync(cancellationToken);
            return counts;
        }, cancellationToken);
        return new PartitionExpiry(partition.Name, kept, keptNodes, withBlobs.Count);
    }

    /// <summary>
    /// Deletes the expired executions of the users whose retention is shorter than <paramref name="defaultRetentionDays"/>
    /// (their partitions are not dropped yet), in batches through the primary key (owner, id).
    /// </summary>
    public async Task<RowExpiry> DeleteShortRetentionAsync(DateTimeOffset now, int defaultRetentionDays, CancellationToken cancellationToken)
    {
        var users = new List<(Guid Id, int Days)>();
        await using (var command = dataSource.CreateCommand("SELECT id, retention_days FROM users WHERE retention_days < $1"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = defaultRetentionDays });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                users.Add((reader.GetGuid(0), reader.GetInt32(1)));
            }
        }

        var total = new RowExpiry(0, 0, 0);
        foreach (var (owner, days) in users)
        {
            RowExpiry batch;
            do
            {
                var doomed = await ReadDoomedAsync($"""
                    SELECT e.owner_id, e.id, e.has_blobs FROM executions e
                    WHERE e.owner_id = $1 AND e.id < $2 AND NOT e.pinned AND NOT {ExecutionSql.Unfinished("e")}
                    ORDER BY e.id LIMIT $3
                    """, [owner, Uuid7.Floor(now.AddDays(-days)), BatchSize], cancellationToken);
                batch = await DeleteAsync(doomed, cancellationToken);
                total += batch;
            }
            while (batch.Executions == BatchSize);
        }

        return total;
    }

    /// <summary>
    /// Deletes the expired rows of the DEFAULT partition (kept once, now past their owner's retention or unpinned; or
    /// there because no range covered them), walking it in id order through its own index on the id.
    /// </summary>
    public async Task<RowExpiry> DeleteExpiredDefaultAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // No retention is shorter than a day: younger rows are never expired.
        var edge = Uuid7.Floor(now.AddDays(-User.MinRetentionDays));
        var total = new RowExpiry(0, 0, 0);
        var after = Guid.Empty;
        while (true)
        {
            var scanned = await ReadDoomedAsync($"""
                SELECT e.owner_id, e.id, e.has_blobs, NOT {Kept} FROM "{PartitionedTable.Executions.DefaultPartition}" e
                WHERE e.id > $2 AND e.id < $3 ORDER BY e.id LIMIT $4
                """, [now, after, edge, BatchSize], cancellationToken);
            if (scanned.Count == 0)
            {
                return total;
            }

            total += await DeleteAsync([.. scanned.Where(s => s.Expired)], cancellationToken);
            after = scanned[^1].Key.ExecutionId;
        }
    }

    /// <summary>Deletes the blobs of those that have any, then the executions and their node rows.</summary>
    private async Task<RowExpiry> DeleteAsync(IReadOnlyList<Doomed> doomed, CancellationToken cancellationToken)
    {
        if (doomed.Count == 0)
        {
            return new RowExpiry(0, 0, 0);
        }

        var withBlobs = doomed.Where(d => d.HasBlobs).Select(d => d.Key).ToList();
        await DeleteBlobsAsync(withBlobs, cancellationToken);
        await using var command = dataSource.CreateCommand(DeleteSql);
        command.Parameters.Add(new NpgsqlParameter { Value = doomed.Select(d => d.Key.OwnerId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = doomed.Select(d => d.Key.ExecutionId).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new RowExpiry(reader.GetInt32(0), reader.GetInt32(1), withBlobs.Count);
    }

    private async Task DeleteBlobsAsync(IReadOnlyList<ExecutionKey> executions, CancellationToken cancellationToken)
    {
        foreach (var chunk in executions.Chunk(BatchSize))
        {
            await blobs.DeleteAsync(chunk, cancellationToken);
        }
    }

    private async Task<List<ExecutionKey>> ReadKeysAsync(string sql, object[] values, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ExecutionKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ExecutionKey(reader.GetGuid(0), reader.GetGuid(1)));
        }

        return keys;
    }

    /// <summary>Reads (owner, id, has_blobs[, expired]) rows; without a fourth column every row is expired.</summary>
    private async Task<List<Doomed>> ReadDoomedAsync(string sql, object[] values, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var doomed = new List<Doomed>();
        while (await reader.ReadAsync(cancellationToken))
        {
            doomed.Add(new Doomed(
                new ExecutionKey(reader.GetGuid(0), reader.GetGuid(1)), reader.GetBoolean(2), reader.FieldCount < 4 || reader.GetBoolean(3)));
        }

        return doomed;
    }

    private NpgsqlCommand Command(string sql, object[] values)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private readonly record struct Doomed(ExecutionKey Key, bool HasBlobs, bool Expired);
}

/// <summary>What dropping one day's partitions kept (moved to DEFAULT), and how many executions' blobs it deleted.</summary>
public sealed record PartitionExpiry(string Partition, int KeptExecutions, int KeptNodes, int BlobExecutions);

/// <summary>What a batched delete removed.</summary>
public readonly record struct RowExpiry(int Executions, int Nodes, int BlobExecutions)
{
    public static RowExpiry operator +(RowExpiry a, RowExpiry b) =>
        new(a.Executions + b.Executions, a.Nodes + b.Nodes, a.BlobExecutions + b.BlobExecutions);
}
