using System.Globalization;
using System.Security.Cryptography;
using GraphExec.Core.Data;
using GraphExec.Core.Schedules;
using GraphExec.Engine.Schedules;
using GraphExec.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace GraphExec.ScheduleLateness;

public enum Workload
{
    /// <summary>Every schedule is <c>* * * * * *</c>: N fires per second.</summary>
    EverySecond,

    /// <summary>Schedule i is <c>{i % 60} * * * * *</c>: each fires once a minute, N/60 fires per second.</summary>
    SpreadMinute,
}

/// <summary>
/// On a database and virtual host of its own (dropped at the end): declares the Worker's queue (the Worker is then
/// stopped, so messages wait in the queue as they would for busy workers), seeds the schedules with COPY, runs the
/// Scheduler (this configuration's build) as a process of its own, lets it fire for a warm-up and the measured window,
/// stops it, and reads the lateness of every fire time in the window from the executions it inserted.
/// </summary>
public static class LatenessRun
{
    private const int Owners = 1_000;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(15);

    public static async Task RunAsync(int schedules, TimeSpan window, Workload workload)
    {
        await using var servers = await TestServers.StartAsync();
        await using var isolated = await servers.IsolateAsync("lateness");
        var options = new DbContextOptionsBuilder<GraphExecDbContext>();
        options.UseGraphExecNpgsql(isolated.Connections.Database);
        await using (var db = new GraphExecDbContext(options.Options))
        {
            await db.MigrateExclusivelyAsync(CancellationToken.None);
        }

        // The Worker declares its queue and bindings, so that every publish is routed and stored as in production.
        using (await ServiceProcess.StartAsync("GraphExec.Worker", isolated.ServiceSettings()))
        {
        }

        var start = DateTimeOffset.UtcNow.AddSeconds(10);
        await SeedAsync(isolated.Connections.Database, schedules, workload, start);
        var from = start + WarmUp;
        var to = from + window;
        Console.WriteLine($"{schedules} schedules ({workload}), measuring fire times in [{from:HH:mm:ss}, {to:HH:mm:ss}) UTC");

        var settings = isolated.ServiceSettings();
        settings["Dashboard:Password"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        // Nothing consumes the queue during the run: keep the sweeper from publishing the waiting executions again.
        settings["Sweeper:Threshold"] = "01:00:00";
        if (Environment.GetEnvironmentVariable("LATENESS_DISPATCH_LOG") == "1")
        {
            // The dispatcher's phase timings (claim, insert, commit, publish), printed at the end.
            settings["Logging:LogLevel:GraphExec.Scheduler.Features.Dispatching"] = "Debug";
        }

        using (var scheduler = await ServiceProcess.StartAsync("GraphExec.Scheduler", settings))
        {
            while (DateTimeOffset.UtcNow < to.AddSeconds(5))
            {
                await Task.Delay(500);
            }

            if (settings.ContainsKey("Logging:LogLevel:GraphExec.Scheduler.Features.Dispatching"))
            {
                Console.WriteLine(scheduler.Output);
            }
        }

        await ReportAsync(isolated.Connections.Database, schedules, workload, from, to);
    }

    private static async Task SeedAsync(string connectionString, int schedules, Workload workload, DateTimeOffset start)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var owners = Enumerable.Range(0, Math.Min(Owners, schedules)).Select(_ => (Owner: Guid.CreateVersion7(), Graph: Guid.CreateVersion7())).ToList();
        var now = DateTimeOffset.UtcNow;
        await using (var graphs = await connection.BeginBinaryImportAsync(
            "COPY graphs (owner_id, id, name, version, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (owner, graph) in owners)
            {
                await graphs.WriteRowAsync(default, owner, graph, "Greeting", 1, now, now);
            }

            await graphs.CompleteAsync();
        }

        await using (var versions = await connection.BeginBinaryImportAsync(
            "COPY graph_versions (owner_id, graph_id, version, definition, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (owner, graph) in owners)
            {
                await versions.StartRowAsync();
                await versions.WriteAsync(owner);
                await versions.WriteAsync(graph);
                await versions.WriteAsync(1);
                await versions.WriteAsync(SampleGraphs.Greeting, NpgsqlDbType.Jsonb);
                await versions.WriteAsync(now);
            }

            await versions.CompleteAsync();
        }

        await using (var rows = await connection.BeginBinaryImportAsync("""
            COPY schedules (owner_id, id, graph_id, cron, time_zone, inputs, enabled, overlap, misfire, next_fire_at,
                            fired_count, skipped_count, missed_count, created_at, updated_at) FROM STDIN (FORMAT BINARY)
            """))
        {
            for (var i = 0; i < schedules; i++)
            {
                var (owner, graph) = owners[i % owners.Count];
                var cron = workload == Workload.EverySecond ? "* * * * * *" : string.Create(CultureInfo.InvariantCulture, $"{i % 60} * * * * *");
                await rows.StartRowAsync();
                await rows.WriteAsync(owner);
                await rows.WriteAsync(Guid.CreateVersion7());
                await rows.WriteAsync(graph);
                await rows.WriteAsync(cron);
                await rows.WriteAsync("UTC");
                await rows.WriteAsync($$"""{"who":"schedule {{i}}"}""", NpgsqlDbType.Jsonb);
                await rows.WriteAsync(true);
                await rows.WriteAsync((short)ScheduleOverlap.Allow);
                await rows.WriteAsync((short)ScheduleMisfire.FireOnce);
                await rows.WriteAsync(CronSchedule.Parse(cron, "UTC").NextAfter(start)!.Value);
                await rows.WriteAsync(0L);
                await rows.WriteAsync(0L);
                await rows.WriteAsync(0L);
                await rows.WriteAsync(now);
                await rows.WriteAsync(now);
            }

            await rows.CompleteAsync();
        }

        await using var analyze = new NpgsqlCommand("ANALYZE schedules", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    private static async Task ReportAsync(string connectionString, int schedules, Workload workload, DateTimeOffset from, DateTimeOffset to)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            WITH fires AS (
                SELECT extract(epoch FROM queued_at - substr(trigger_ref, {ScheduleTrigger.FireTimeOffset + 1})::timestamptz) * 1000 AS ms
                FROM executions
                WHERE trigger = {(short)TriggerKind.Schedule}
                  AND substr(trigger_ref, {ScheduleTrigger.FireTimeOffset + 1})::timestamptz >= $1
                  AND substr(trigger_ref, {ScheduleTrigger.FireTimeOffset + 1})::timestamptz < $2)
            SELECT count(*),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY ms),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY ms),
                   max(ms),
                   (SELECT coalesce(sum(missed_count), 0) FROM schedules)
            FROM fires
            """, connection)
        {
            Parameters = { new() { Value = from }, new() { Value = to } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var fired = reader.GetInt64(0);
        var expected = (long)(schedules * (to - from).TotalSeconds / (workload == Workload.EverySecond ? 1 : 60));
        string Ms(int column) => reader.IsDBNull(column) ? "-" : reader.GetDouble(column).ToString("0", CultureInfo.InvariantCulture) + " ms";
        Console.WriteLine($"| {schedules:N0} | {workload} | {(to - from).TotalSeconds:0} s | {fired:N0} of {expected:N0} | "
            + $"{(fired / (to - from).TotalSeconds).ToString("0", CultureInfo.InvariantCulture)}/s | {Ms(1)} | {Ms(2)} | {Ms(3)} | {reader.GetInt64(4)} |");
        Console.WriteLine("| schedules | workload | window | fire times executed | fires/s | p50 | p99 | max | missed |");
    }
}
