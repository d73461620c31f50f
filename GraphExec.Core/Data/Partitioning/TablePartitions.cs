using System.Text.RegularExpressions;
using Npgsql;

namespace GraphExec.Core.Data.Partitioning;

/// <summary>
/// Creates and drops the range partitions of a <see cref="PartitionedTable"/>. Every change runs in a short transaction
/// under <see cref="LockTimeout"/>, retried a few times: DDL on a partitioned table waits for the statements using it,
/// and while it waits it holds back every statement that comes after, so it must give up quickly rather than stall the
/// hot path.
/// </summary>
public sealed partial class TablePartitions(NpgsqlDataSource dataSource)
{
    /// <summary>How long a partition change waits for a lock before it gives up and tries again.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times a change that timed out on a lock is tried, in all.</summary>
    public int Attempts { get; init; } = 5;

    private const string PartitionsSql = """
        SELECT c.relname, pg_get_expr(c.relpartbound, c.oid)
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = $1::regclass
        """;

    /// <summary>The range partitions of <paramref name="table"/>, oldest first (the DEFAULT partition is not one).</summary>
    public async Task<IReadOnlyList<TimePartition>> ListAsync(PartitionedTable table, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(PartitionsSql);
        command.Parameters.Add(new NpgsqlParameter { Value = table.Name });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var partitions = new List<TimePartition>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (RangeBound().Match(reader.GetString(1)) is { Success: true } range)
            {
                partitions.Add(new TimePartition(
                    reader.GetString(0),
                    range.Groups["from"].Success ? Uuid7.TimeOf(Guid.Parse(range.Groups["from"].Value)) : null,
                    Uuid7.TimeOf(Guid.Parse(range.Groups["to"].Value))));
            }
        }

        return [.. partitions.OrderBy(p => p.To)];
    }

    /// <summary>
    /// Creates the partitions of <paramref name="table"/> that cover up to <paramref name="ahead"/> past
    /// <paramref name="now"/>, each <paramref name="interval"/> long, continuing from the newest one (or from today's
    /// start, in UTC, when there is none), so ranges never overlap even when the interval changes.
    /// </summary>
    /// <returns>The partitions created, and the rows moved into them from the DEFAULT partition.</returns>
    public async Task<(IReadOnlyList<string> Created, int Moved)> CreateAheadAsync(
        PartitionedTable table, DateTimeOffset now, TimeSpan interval, TimeSpan ahead, CancellationToken cancellationToken)
    {
        var existing = await ListAsync(table, cancellationToken);
        var from = existing.Count > 0 ? existing[^1].To : new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var created = new List<string>();
        var moved = 0;
        for (; from <= now + ahead; from += interval)
        {
            moved += await CreateAsync(table, from, from + interval, cancellationToken);
            created.Add(table.PartitionName(from));
        }

        return (created, moved);
    }

    /// <summary>
    /// Creates the partition of [<paramref name="from"/>, <paramref name="to"/>): a table of the parent's shape into which
    /// the DEFAULT partition's rows of that range move (through its index on the key), then attached. Attaching takes
    /// only a SHARE UPDATE EXCLUSIVE lock on the parent, so reads and writes go on; it locks the DEFAULT partition while
    /// PostgreSQL checks that none of its rows belongs in the new range.
    /// </summary>
    /// <returns>How many rows moved from the DEFAULT partition.</returns>
    public Task<int> CreateAsync(PartitionedTable table, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var name = table.PartitionName(from);
            var (low, high) = (Uuid7.Floor(from), Uuid7.Floor(to));
            await ExecuteAsync(connection, transaction,
                $"CREATE TABLE \"{name}\" (LIKE \"{table.Name}\" INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION)"
                + (table.Fillfactor < 100 ? $" WITH (fillfactor = {table.Fillfactor})" : ""), cancellationToken);
            var columns = await ColumnsAsync(connection, transaction, table, cancellationToken);
            await using var move = new NpgsqlCommand(
                $"WITH moved AS (DELETE FROM \"{table.DefaultPartition}\" WHERE \"{table.Key}\" >= $1 AND \"{table.Key}\" < $2 RETURNING *) "
                + $"INSERT INTO \"{name}\" ({columns}) SELECT {columns} FROM moved", connection, transaction)
            {
                Parameters = { new() { Value = low }, new() { Value = high } },
            };
            var moved = await move.ExecuteNonQueryAsync(cancellationToken);
            await ExecuteAsync(connection, transaction,
                $"ALTER TABLE \"{table.Name}\" ATTACH PARTITION \"{name}\" FOR VALUES FROM ('{low}') TO ('{high}')", cancellationToken);
            return moved;
        }, cancellationToken);

    /// <summary>
    /// Detaches and drops a partition whose rows have all expired: O(1) whatever it holds. <c>DETACH … CONCURRENTLY</c> is
    /// not allowed while a DEFAULT partition exists, so the detach takes an ACCESS EXCLUSIVE lock on the parent for the
    /// few milliseconds of this transaction (behind <see cref="LockTimeout"/>).
    /// </summary>
    public Task DropAsync(PartitionedTable table, TimePartition partition, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await DetachAsync(connection, transaction, table, partition, cancellationToken);
            await ExecuteAsync(connection, transaction, $"DROP TABLE \"{partition.Name}\"", cancellationToken);
            return 0;
        }, cancellationToken);

    private const string ColumnsSql = """
        SELECT string_agg(coalesce($2 || '.', '') || quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
        WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
        """;

    /// <summary>
    /// The columns of <paramref name="table"/> that a statement moving its rows writes, as a SQL list: all but the
    /// generated ones, which PostgreSQL computes (and refuses to be given); each qualified by <paramref name="alias"/>
    /// when one is given.
    /// </summary>
    public static async Task<string> ColumnsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, PartitionedTable table, CancellationToken cancellationToken, string? alias = null)
    {
        await using var command = new NpgsqlCommand(ColumnsSql, connection, transaction)
        {
            Parameters = { new() { Value = table.Name }, new() { Value = (object?)alias ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } },
        };
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Detaches a partition inside the caller's transaction: inserted into the parent, its rows now go to DEFAULT.</summary>
    public static Task DetachAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, PartitionedTable table, TimePartition partition, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, $"ALTER TABLE \"{table.Name}\" DETACH PARTITION \"{partition.Name}\"", cancellationToken);

    /// <summary>
    /// Runs <paramref name="change"/> in a transaction whose lock waits end after <see cref="LockTimeout"/>; one that ends
    /// so is rolled back and tried again after a short pause, up to <see cref="Attempts"/> times.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(
        Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                await ExecuteAsync(connection, transaction,
                    $"SET LOCAL lock_timeout = {(int)LockTimeout.TotalMilliseconds}", cancellationToken);
                var result = await change(connection, transaction);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable && attempt < Attempts)
            {
                await transaction.RollbackAsync(cancellationToken);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
            }
        }
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex(@"FROM \((?:MINVALUE|'(?<from>[0-9a-f-]{36})')\) TO \('(?<to>[0-9a-f-]{36})'\)")]
    private static partial Regex RangeBound();
}
