using GraphExec.Core.Data.Partitioning;
using GraphExec.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GraphExec.Worker.Tests;

/// <summary>
/// PostgreSQL writes an update as heap-only (HOT), one new tuple in the same page and no new index entry, when no index
/// keys or filters on a column it changes and the page has room. A claim (Queued to Running) is the hot path's most
/// frequent update, so the executions' indexes and partitions keep both conditions for it.
/// </summary>
public sealed class Claiming_without_a_new_index_entry
{
    /// <summary>
    /// What a claim writes (<c>ExecutionStore</c>'s claim statement). It also clears <c>parked_at</c>, which only changes
    /// for an execution that was parked.
    /// </summary>
    private static readonly string[] ClaimWrites = ["status", "attempt", "lease_owner", "lease_expires_at", "started_at"];

    /// <summary>Each index of <c>executions</c> and of its partitions, with every column its key, expressions or filter name.</summary>
    private const string IndexedColumnsSql = """
        SELECT c.relname, a.attname
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE i.indrelid IN (SELECT 'executions'::regclass UNION ALL SELECT inhrelid FROM pg_inherits WHERE inhparent = 'executions'::regclass)
          AND (a.attnum = ANY (i.indkey)
               OR coalesce(pg_get_expr(i.indpred, i.indrelid), '') ~ ('\m' || a.attname || '\M')
               OR coalesce(pg_get_expr(i.indexprs, i.indrelid), '') ~ ('\m' || a.attname || '\M'))
        """;

    private const string PartitionStorageSql = """
        SELECT c.relname, coalesce(array_to_string(c.reloptions, ','), '')
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'executions'::regclass
        """;

    [Test]
    public async Task Should_have_no_index_that_keys_or_filters_on_a_column_a_claim_writes()
    {
        var indexed = await ReadPairsAsync(IndexedColumnsSql);

        Assert.That(indexed.Select(i => i.Name).Distinct().Count(), Is.GreaterThan(10), "the parent's indexes and its partitions'");
        Assert.That(indexed.Where(i => ClaimWrites.Contains(i.Value)).Select(i => $"{i.Name} ({i.Value})"), Is.Empty);
        Assert.That(indexed.Select(i => i.Value), Does.Contain("finished_status"), "the status is indexed as the finished status");
    }

    [Test]
    public async Task Should_leave_room_for_a_claim_in_the_pages_of_every_partition()
    {
        var partitions = await ReadPairsAsync(PartitionStorageSql);

        Assert.That(partitions, Is.Not.Empty);
        Assert.That(partitions, Has.All.Property(nameof(NameValue.Value)).EqualTo($"fillfactor={PartitionedTable.Executions.Fillfactor}"));
    }

    private static async Task<List<NameValue>> ReadPairsAsync(string sql)
    {
        await using var command = WorkerHost.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var pairs = new List<NameValue>();
        while (await reader.ReadAsync())
        {
            pairs.Add(new NameValue(reader.GetString(0), reader.GetString(1)));
        }

        return pairs;
    }

    public sealed record NameValue(string Name, string Value);
}
