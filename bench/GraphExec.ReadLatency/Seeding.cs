using System.Diagnostics;
using Npgsql;

namespace GraphExec.ReadLatency;

/// <summary>
/// Stored executions written straight into the bench's own database by set-based SQL (<c>generate_series</c>), so that a
/// million of them take minutes, not hours: each owner's graphs come from the Api, executions are spread round-robin over
/// those graphs, and every execution has the three node results of the Greeting graph.
/// </summary>
public sealed class Seeding(NpgsqlDataSource database)
{
    /// <summary>Nodes of the one execution per owner whose node results are read a page at a time.</summary>
    public const int LargeRunNodes = 1_000;

    /// <summary>Execution i is queued at this time plus i milliseconds, so its UUIDv7 id grows with i like real ones.</summary>
    private static readonly DateTimeOffset FirstQueuedAt = DateTimeOffset.UtcNow.AddDays(-30);

    private int _graphs;

    public async Task RecordGraphsAsync(IReadOnlyList<(Guid OwnerId, Guid GraphId)> graphs)
    {
        _graphs = graphs.Count;
        await ExecuteAsync("CREATE TABLE bench_graphs (n int PRIMARY KEY, owner_id uuid NOT NULL, graph_id uuid NOT NULL)");
        await using var import = await database.OpenConnectionAsync();
        await using var writer = await import.BeginBinaryImportAsync("COPY bench_graphs (n, owner_id, graph_id) FROM STDIN (FORMAT BINARY)");
        for (var n = 0; n < graphs.Count; n++)
        {
            await writer.WriteRowAsync(CancellationToken.None, n, graphs[n].OwnerId, graphs[n].GraphId);
        }

        await writer.CompleteAsync();
    }

    /// <summary>Adds executions <paramref name="from"/> to <paramref name="to"/> (exclusive) with their node results.</summary>
    /// <returns>How long it took.</returns>
    public async Task<TimeSpan> GrowAsync(int from, int to)
    {
        var watch = Stopwatch.StartNew();
        // Execution i is the (i / graphs)th run of graph i % graphs. Every 50th run of a graph failed, every 1,000th (+1)
        // was cancelled, the rest succeeded; triggers take turns (webhook and schedule runs carry a trigger ref, as real
        // ones do). The id is a UUIDv7 of the queued time, its random bits from md5(i).
        await ExecuteAsync(
            """
            SET synchronous_commit = off;
            INSERT INTO executions (owner_id, id, graph_id, graph_version, trigger, trigger_ref, status, live, inputs, outputs,
                                    error, attempt, queued_at, started_at, finished_at, last_sequence, sweeps, has_blobs)
            SELECT g.owner_id,
                   (lpad(to_hex(@first_ms + i), 12, '0') || '7' || substr(h, 1, 3) || '8' || substr(h, 4, 15))::uuid,
                   g.graph_id, 1, (i % 3)::smallint, CASE WHEN i % 3 = 0 THEN NULL ELSE 'seed-' || i END,
                   (CASE WHEN run % 50 = 0 THEN 3 WHEN run % 1000 = 1 THEN 4 ELSE 2 END)::smallint, false,
                   '{"who": "Ada"}', CASE WHEN run % 50 <> 0 THEN '{"greeting": "Hello, Ada!"}'::jsonb END,
                   CASE WHEN run % 50 = 0 THEN '{"code": "node_failed", "message": "greet failed"}'::jsonb END, 1,
                   queued, queued + interval '2 ms', queued + interval '7 ms', 0, 0, false
            FROM generate_series(@from, @to - 1) AS i
            CROSS JOIN LATERAL (SELECT md5(i::text) AS h, to_timestamp((@first_ms + i) / 1000.0) AS queued, i / @graphs AS run) AS derived
            JOIN bench_graphs AS g ON g.n = i % @graphs;

            INSERT INTO node_executions (owner_id, execution_id, node_id, status, inputs, outputs, attempts, started_at, finished_at)
            SELECT e.owner_id, e.id, n.node_id, 2, n.inputs::jsonb, n.outputs::jsonb, 1, e.started_at, e.finished_at
            FROM executions AS e
            CROSS JOIN (VALUES ('who', '{}', '{"value": "Ada"}'),
                               ('greet', '{"who": "Ada"}', '{"text": "Hello, Ada!"}'),
                               ('out', '{"value": "Hello, Ada!"}', '{}')) AS n (node_id, inputs, outputs)
            WHERE e.queued_at >= to_timestamp((@first_ms + @from) / 1000.0);
            """,
            ("first_ms", FirstQueuedAt.ToUnixTimeMilliseconds()), ("from", from), ("to", to), ("graphs", _graphs));
        return watch.Elapsed;
    }

    /// <summary>Gives each owner's oldest execution <see cref="LargeRunNodes"/> more node results (<c>n0000</c>, …).</summary>
    public async Task<IReadOnlyList<(Guid OwnerId, Guid ExecutionId)>> AddLargeRunsAsync()
    {
        await ExecuteAsync(
            """
            INSERT INTO node_executions (owner_id, execution_id, node_id, status, inputs, outputs, attempts, started_at, finished_at)
            SELECT e.owner_id, e.id, 'n' || lpad(k::text, 4, '0'), 2, '{"v": 1}', '{"v": 2}', 1, e.started_at, e.finished_at
            FROM (SELECT DISTINCT ON (owner_id) owner_id, id, started_at, finished_at FROM executions ORDER BY owner_id, id) AS e
            CROSS JOIN generate_series(0, @nodes - 1) AS k
            """,
            ("nodes", LargeRunNodes));
        return await ReadAsync(
            "SELECT DISTINCT ON (owner_id) owner_id, id FROM executions ORDER BY owner_id, id",
            reader => (reader.GetGuid(0), reader.GetGuid(1)));
    }

    /// <summary>What autovacuum would have done by now on a live database: statistics and the visibility map.</summary>
    public async Task VacuumAsync() => await ExecuteAsync("VACUUM (ANALYZE) executions, node_executions, graphs, graph_versions");

    /// <summary><paramref name="count"/> executions picked at random, with their owner and graph.</summary>
    public Task<IReadOnlyList<(Guid OwnerId, Guid ExecutionId, Guid GraphId)>> SampleAsync(int count) =>
        ReadAsync(
            $"SELECT owner_id, id, graph_id FROM executions ORDER BY random() LIMIT {count}",
            reader => (reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2)));

    public async Task<IReadOnlyList<string>> ExplainAsync(string query, params (string Name, object Value)[] parameters) =>
        await ReadAsync($"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) {query}", reader => reader.GetString(0), parameters);

    private async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<IReadOnlyList<T>> ReadAsync<T>(string sql, Func<NpgsqlDataReader, T> row, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(row(reader));
        }

        return rows;
    }

    private NpgsqlCommand Command(string sql, (string Name, object Value)[] parameters)
    {
        var command = database.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
