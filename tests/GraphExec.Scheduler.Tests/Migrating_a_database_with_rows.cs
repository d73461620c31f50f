using GraphExec.Core.Data;
using GraphExec.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace GraphExec.Scheduler.Tests;

/// <summary>
/// The TimePartitions migration turns the tables of a database that already holds executions into partitioned ones
/// without losing a row: the old table becomes the first partition.
/// </summary>
public sealed class Migrating_a_database_with_rows
{
    private const string BeforePartitions = "20261201001306_ExecutionBlobs";

    [Test]
    public async Task Should_keep_every_row_and_trigger_ref_and_add_the_partitions()
    {
        var name = $"{RealServersSetUp.Isolated.DatabaseName}_migrating";
        var server = new NpgsqlConnectionStringBuilder(RealServersSetUp.Isolated.Connections.Database) { Database = "postgres", Pooling = false };
        await ExecuteAsync(server.ConnectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await ExecuteAsync(server.ConnectionString, $"CREATE DATABASE \"{name}\"");
        var database = new NpgsqlConnectionStringBuilder(RealServersSetUp.Isolated.Connections.Database) { Database = name, Pooling = false }.ConnectionString;
        try
        {
            var builder = new DbContextOptionsBuilder<GraphExecDbContext>();
            builder.UseGraphExecNpgsql(database);
            var options = builder.Options;
            await using (var db = new GraphExecDbContext(options))
            {
                await db.GetService<IMigrator>().MigrateAsync(BeforePartitions);
            }

            // A week of executions, each with a node row, a trigger ref and a delivery; one dated tomorrow (a clock ahead).
            await ExecuteAsync(database, """
                INSERT INTO executions (owner_id, id, graph_id, graph_version, trigger, trigger_ref, status, live, inputs, attempt, last_sequence, sweeps, queued_at)
                SELECT '0190a000-0000-7000-8000-000000000001', (lpad(to_hex(floor(extract(epoch FROM t) * 1000)::bigint), 12, '0') || '7000800000000000' || lpad(to_hex(g), 4, '0'))::uuid,
                       gen_random_uuid(), 1, 1, 'hook:' || g, 3, false, '{}', 1, 0, 0, t
                FROM generate_series(-167, 24) AS g, LATERAL (SELECT now() + make_interval(hours => g) AS t) AS at;
                INSERT INTO node_executions (owner_id, execution_id, node_id, status, attempts) SELECT owner_id, id, 'greet', 2, 1 FROM executions;
                INSERT INTO webhook_deliveries (owner_id, webhook_id, id, received_at, status_code, execution_id)
                SELECT owner_id, gen_random_uuid(), id, queued_at, 202, id FROM executions;
                """);

            await using (var db = new GraphExecDbContext(options))
            {
                await db.Database.MigrateAsync();
                Assert.That(await db.Executions.CountAsync(), Is.EqualTo(192));
                Assert.That(await db.NodeExecutions.CountAsync(), Is.EqualTo(192));
                Assert.That(await db.WebhookDeliveries.CountAsync(), Is.EqualTo(192));
                Assert.That(await db.ExecutionTriggers.CountAsync(), Is.EqualTo(192), "a week's trigger refs keep deduplicating");
                Assert.That(await db.Database.GetPendingMigrationsAsync(), Is.Empty);
                Assert.That(db.Database.HasPendingModelChanges(), Is.False, "the model still describes the tables");
            }

            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'executions'::regclass
                """, connection);
            var partitions = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    partitions.Add(reader.GetString(0));
                }
            }

            var tomorrow = DateTime.UtcNow.Date.AddDays(1);
            Assert.That(partitions, Does.Contain($"executions_before_{tomorrow:yyyyMMdd}").And.Contain("executions_default")
                .And.Contain($"executions_p{tomorrow:yyyyMMdd}").And.Contain($"executions_p{tomorrow.AddDays(6):yyyyMMdd}"));
        }
        finally
        {
            await ExecuteAsync(server.ConnectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
