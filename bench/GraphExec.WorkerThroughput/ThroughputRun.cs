using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Core.Quotas;
using GraphExec.Core.Values;
using GraphExec.Engine;
using GraphExec.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GraphExec.WorkerThroughput;

/// <summary>
/// On a database, virtual host and key prefix of its own: starts the Worker (Release build) once so that it declares its
/// queue, stops it, queues the executions, starts it again and waits until all have ended. The rate is counted from the
/// first claim to the last finish (database times), so process start-up is not in it; statements come from
/// pg_stat_statements for this database only.
/// </summary>
public static class ThroughputRun
{
    private const string Greeting = SampleGraphs.Greeting;

    public static async Task RunAsync(int executions, int users)
    {
        await using var servers = await TestServers.StartAsync();
        await using var isolated = await servers.IsolateAsync("bench");
        var options = new DbContextOptionsBuilder<GraphExecDbContext>();
        options.UseGraphExecNpgsql(isolated.Connections.Database);

        var worker = await StartWorkerAsync(isolated);
        await StopAsync(worker);

        var owners = await SeedAsync(options.Options, users);
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(isolated.Connections.Broker)));
        await bus.StartAsync();
        await using var dataSource = NpgsqlDataSource.Create(isolated.Connections.Database);
        // The run's container exists from the start (IsolatedServers creates it).
        var blobs = new ExecutionBlobStore(
            isolated.BlobContainer(), Options.Create(new BlobOptions { Container = isolated.BlobContainerName }), Task.CompletedTask);
        var starter = new ExecutionStarter(
            new ExecutionStore(dataSource, new QueuedCounts()), blobs, bus, Options.Create(new QuotaOptions()), TimeProvider.System, NullLogger<ExecutionStarter>.Instance);
        for (var i = 0; i < executions; i++)
        {
            var (owner, graph) = owners[i % owners.Count];
            var inputs = new System.Text.Json.Nodes.JsonObject { ["who"] = $"Ada {i}" };
            await starter.StartAsync(new StartExecution(owner, graph, 1, TriggerKind.Manual, null, inputs, Live: false), CancellationToken.None);
        }

        await bus.StopAsync();
        Console.WriteLine($"Queued {executions} executions of the Greeting graph for {users} users.");

        // This database's statistics only: others may be measuring on the same server.
        await ExecuteAsync(isolated.Connections.Database, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        await ExecuteAsync(isolated.Connections.Database,
            "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)");
        worker = await StartWorkerAsync(isolated);
        try
        {
            await using var db = new GraphExecDbContext(options.Options);
            while (await db.Executions.AnyAsync(e => e.FinishedStatus == null))
            {
                await Task.Delay(250);
            }

            var succeeded = await db.Executions.CountAsync(e => e.Status == ExecutionStatus.Succeeded);
            var first = await db.Executions.MinAsync(e => e.StartedAt!.Value);
            var last = await db.Executions.MaxAsync(e => e.FinishedAt!.Value);
            var seconds = (last - first).TotalSeconds;
            Console.WriteLine($"{succeeded} of {executions} succeeded in {seconds.ToString("0.00", CultureInfo.InvariantCulture)} s: "
                + $"{(succeeded / seconds).ToString("0", CultureInfo.InvariantCulture)} executions/s");
        }
        finally
        {
            await StopAsync(worker);
        }

        await ReportStatementsAsync(isolated.Connections.Database, executions);
    }

    private static async Task<List<(Guid Owner, Guid Graph)>> SeedAsync(DbContextOptions<GraphExecDbContext> options, int users)
    {
        await using var db = new GraphExecDbContext(options);
        var now = DateTimeOffset.UtcNow;
        var owners = new List<(Guid, Guid)>();
        for (var i = 0; i < users; i++)
        {
            var (owner, graph) = (Guid.CreateVersion7(), Guid.CreateVersion7());
            db.Users.Add(new User { Id = owner, Username = $"bench{i}", NormalizedUsername = $"bench{i}", PasswordHash = "-", CreatedAt = now });
            db.Graphs.Add(new Graph { OwnerId = owner, Id = graph, Name = "Greeting", Version = 1, CreatedAt = now, UpdatedAt = now });
            db.GraphVersions.Add(new GraphVersion { OwnerId = owner, GraphId = graph, Version = 1, Definition = Greeting, CreatedAt = now });
            owners.Add((owner, graph));
        }

        await db.SaveChangesAsync();
        return owners;
    }

    /// <summary>Statements this database ran per execution while the Worker ran them, from pg_stat_statements.</summary>
    private static async Task ReportStatementsAsync(string connectionString, int executions)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT calls, left(regexp_replace(query, '\s+', ' ', 'g'), 90) FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'
              AND query NOT LIKE 'SELECT count(*)::int FROM executions%'
            ORDER BY calls DESC
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        long total = 0;
        Console.WriteLine("calls  per execution  statement");
        while (await reader.ReadAsync())
        {
            var calls = reader.GetInt64(0);
            total += calls;
            Console.WriteLine($"{calls,6} {((double)calls / executions).ToString("0.00", CultureInfo.InvariantCulture),13}  {reader.GetString(1)}");
        }

        Console.WriteLine($"total: {((double)total / executions).ToString("0.00", CultureInfo.InvariantCulture)} statements per execution (including the Worker's start-up)");
    }

    private static Task<ServiceProcess> StartWorkerAsync(IsolatedServers servers) =>
        ServiceProcess.StartAsync("GraphExec.Worker", servers.ServiceSettings());

    private static Task StopAsync(ServiceProcess worker)
    {
        worker.Dispose();
        return Task.CompletedTask;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
