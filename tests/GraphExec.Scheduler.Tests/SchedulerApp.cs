using System.Text.Json;
using GraphExec.Core.Data;
using GraphExec.Hosting;
using GraphExec.ServiceDefaults;
using GraphExec.Testing;
using GraphExec.Core.Values;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.Scheduler.Tests;

/// <summary>
/// A Scheduler in-process on the run's own database and virtual host, polling often so that tests finish quickly.
/// Several may run at once, like replicas; disposing one stops it as a crash would, between two cycles.
/// </summary>
public sealed class SchedulerApp(
    IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    /// <summary>The Scheduler's own blob store, on the run's container of the servers' Azurite.</summary>
    public ExecutionBlobStore Blobs => Services.GetRequiredService<ExecutionBlobStore>();

    public const string OperatorPassword = "operator-password-for-tests";

    /// <summary>Starts the host and waits until it has seen the schema migrated.</summary>
    public async Task<SchedulerApp> StartAsync()
    {
        await Services.GetRequiredService<DatabaseSchema>().Migrated.WaitAsync(TimeSpan.FromSeconds(60));
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in RealServersSetUp.Isolated.ServiceSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Dashboard:Password", OperatorPassword);
        builder.UseSetting("Scheduler:PollInterval", "00:00:00.100");
        builder.UseSetting("Sweeper:PollInterval", "00:00:01");

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }
}

/// <summary>The rows the tests seed and read, as the Api and the Worker would write them.</summary>
public static class Rows
{
    public static GraphExecDbContext Db()
    {
        var options = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<GraphExecDbContext>();
        options.UseGraphExecNpgsql(RealServersSetUp.Isolated.Connections.Database);
        return new GraphExecDbContext(options.Options);
    }

    /// <summary>A new owner's graph (version 1).</summary>
    public static async Task<(Guid OwnerId, Guid GraphId)> GraphAsync(string definition)
    {
        var ownerId = Guid.CreateVersion7();
        var graphId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        await using var db = Db();
        db.Graphs.Add(new Graph { OwnerId = ownerId, Id = graphId, Name = "Scheduled", Version = 1, CreatedAt = now, UpdatedAt = now });
        db.GraphVersions.Add(new GraphVersion { OwnerId = ownerId, GraphId = graphId, Version = 1, Definition = definition, CreatedAt = now });
        await db.SaveChangesAsync();
        return (ownerId, graphId);
    }

    /// <summary>A schedule as the Api stores it: its next fire time counted from now.</summary>
    public static async Task<Schedule> ScheduleAsync(
        (Guid OwnerId, Guid GraphId) graph, string cron, object? inputs = null, bool enabled = true,
        Engine.Schedules.ScheduleOverlap overlap = Engine.Schedules.ScheduleOverlap.Allow,
        Engine.Schedules.ScheduleMisfire misfire = Engine.Schedules.ScheduleMisfire.FireOnce)
    {
        var now = DateTimeOffset.UtcNow;
        var schedule = new Schedule
        {
            OwnerId = graph.OwnerId,
            Id = Guid.CreateVersion7(),
            GraphId = graph.GraphId,
            Cron = cron,
            TimeZone = "UTC",
            Inputs = JsonSerializer.Serialize(inputs ?? new { }),
            Enabled = enabled,
            Overlap = overlap,
            Misfire = misfire,
            NextFireAt = enabled ? Engine.Schedules.CronSchedule.Parse(cron, "UTC").NextAfter(now) : null,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var db = Db();
        db.Schedules.Add(schedule);
        await db.SaveChangesAsync();
        return schedule;
    }

    /// <summary>
    /// Large values of an execution written to blob storage as a run writes them (a blob per value, named by its hash), and
    /// the JSON object that references them.
    /// </summary>
    public static async Task<StoredObject> BlobsAsync(ExecutionBlobStore blobs, ExecutionKey execution, params string[] names)
    {
        var values = names.ToDictionary(name => name, name => (System.Text.Json.Nodes.JsonNode?)(name + new string('v', 70 * 1024)));
        return await blobs.For(execution).StoreAsync(values, CancellationToken.None);
    }

    /// <summary>The names of the blobs an execution has in the run's container.</summary>
    public static async Task<List<string>> BlobNamesAsync(ExecutionKey execution)
    {
        var names = new List<string>();
        await foreach (var blob in RealServersSetUp.Isolated.BlobContainer().GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions
        {
            Prefix = BlobNames.Prefix(execution),
        }))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    public static async Task<Schedule> ReloadAsync(Schedule schedule)
    {
        await using var db = Db();
        return db.Schedules.Single(s => s.OwnerId == schedule.OwnerId && s.Id == schedule.Id);
    }

    /// <summary>The schedule's executions in fire time order.</summary>
    public static async Task<List<Execution>> ExecutionsAsync(Schedule schedule)
    {
        await using var db = Db();
        var prefix = schedule.Id.ToString("D") + ":";
        return [.. db.Executions
            .Where(e => e.OwnerId == schedule.OwnerId && e.Trigger == TriggerKind.Schedule && e.TriggerRef!.StartsWith(prefix))
            .OrderBy(e => e.TriggerRef)];
    }
}
