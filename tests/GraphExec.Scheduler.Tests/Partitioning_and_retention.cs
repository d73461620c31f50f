using System.Collections.Concurrent;
using GraphExec.Core.Data;
using GraphExec.Core.Data.Partitioning;
using GraphExec.Core.Executions;
using GraphExec.Core.Values;
using GraphExec.Engine;
using GraphExec.Scheduler.Features.Retention;
using GraphExec.Testing;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GraphExec.Scheduler.Tests;

/// <summary>
/// Executions, node results and webhook deliveries live in daily partitions by their UUIDv7 id: the partition job
/// creates them ahead, the retention jobs drop them whole once expired while keeping what must outlive them, and the
/// trigger-ref table keeps one execution per trigger event across days. The jobs run here on a clock the tests move;
/// past days get their partitions directly, as a database that has run for weeks has them.
/// </summary>
public sealed class Partitioning_and_retention
{
    private readonly MovableClock _clock = new();
    private SchedulerApp _scheduler = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // Jobs fire only when a test runs them (January 1st), so that none runs alongside one.
        const string Never = "0 0 0 1 1 *";
        _scheduler = await new SchedulerApp(
            new Dictionary<string, string?> { ["Partitions:Cron"] = Never, ["Retention:Cron"] = Never },
            services => services.AddSingleton<TimeProvider>(_clock)).StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _scheduler.DisposeAsync();

    [SetUp]
    public void Now() => _clock.Now = DateTimeOffset.UtcNow;

    [Test]
    public async Task Should_show_the_jobs_in_the_dashboard()
    {
        var ids = await Poll.UntilAsync(
            () => Task.FromResult(JobStorage.Current.GetConnection().GetRecurringJobs().Select(j => j.Id).ToList()),
            jobs => jobs.Contains(RetentionJob.TriggersJobId), "the retention jobs to be registered");

        Assert.That(ids, Is.SupersetOf(new[] { PartitionJob.JobId, RetentionJob.ExecutionsJobId, RetentionJob.DeliveriesJobId, RetentionJob.TriggersJobId }));
    }

    [Test]
    public async Task Should_create_partitions_ahead_and_move_rows_that_landed_in_default()
    {
        var owner = await UserAsync(retentionDays: 30);
        var later = _clock.GetUtcNow().AddDays(12);
        var early = await ExecutionAsync(owner, later);
        Assert.That(await PartitionOfAsync(early), Is.EqualTo("executions_default"), "no partition covers that day yet");

        _clock.Now += TimeSpan.FromDays(10);
        await RunAsync<PartitionJob>(job => job.CreateAheadAsync(CancellationToken.None));

        var partitions = await Partitions.ListAsync(PartitionedTable.Executions, CancellationToken.None);
        var lastDay = new DateTimeOffset(_clock.GetUtcNow().UtcDateTime.Date.AddDays(7), TimeSpan.Zero);
        Assert.That(partitions[^1].To, Is.GreaterThan(lastDay), "partitions reach a week past the clock");
        Assert.That(partitions.Select(p => p.Name), Does.Contain(PartitionedTable.Executions.PartitionName(lastDay)));
        Assert.That((await Partitions.ListAsync(PartitionedTable.WebhookDeliveries, CancellationToken.None))[^1].To, Is.EqualTo(partitions[^1].To));
        var moved = PartitionedTable.Executions.PartitionName(new DateTimeOffset(later.UtcDateTime.Date, TimeSpan.Zero));
        Assert.That(await PartitionOfAsync(early), Is.EqualTo(moved));
        await using var db = Rows.Db();
        Assert.That((await db.Executions.SingleAsync(e => e.Id == early)).FinishedStatus, Is.EqualTo(ExecutionStatus.Succeeded),
            "the moved row's finished status is computed in its new partition");
        Assert.That(await StorageParametersAsync(moved), Is.EqualTo(new[] { "fillfactor=90" }), "room in each page for a claim's HOT update");
        Assert.That(await StorageParametersAsync(PartitionedTable.NodeExecutions.PartitionName(partitions[^1].From!.Value)), Is.Null);
    }

    [Test]
    public async Task Should_drop_an_expired_partition_while_runs_are_being_written()
    {
        var owner = await UserAsync(retentionDays: 30);
        var day = await PastDayAsync(45);
        var old = new List<Guid>();
        for (var i = 0; i < 50; i++)
        {
            old.Add(await ExecutionAsync(owner, day.AddMinutes(i)));
        }

        using var stop = new CancellationTokenSource();
        var written = new ConcurrentBag<Guid>();
        var failures = new ConcurrentBag<Exception>();
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    written.Add(await ExecutionAsync(owner, DateTimeOffset.UtcNow));
                }
                catch (Exception e)
                {
                    failures.Add(e);
                }
            }
        })).ToList();

        await Poll.UntilAsync(() => Task.FromResult(written.Count), count => count >= 20, "the writers to get going");
        await RunAsync<RetentionJob>(job => job.ExpireExecutionsAsync(CancellationToken.None));
        var writtenDuringDrop = written.Count;
        await Poll.UntilAsync(() => Task.FromResult(written.Count), count => count >= writtenDuringDrop + 20, "the writers to go on after the drop");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.That(failures, Is.Empty);
        var names = (await Partitions.ListAsync(PartitionedTable.Executions, CancellationToken.None)).Select(p => p.Name);
        Assert.That(names, Has.None.EqualTo(PartitionedTable.Executions.PartitionName(day)));
        await using var db = Rows.Db();
        var stored = await db.Executions.Where(e => e.OwnerId == owner).Select(e => e.Id).ToListAsync();
        Assert.That(stored, Is.EquivalentTo(written), "every run written is there; the expired ones are gone");
        Assert.That(await db.NodeExecutions.CountAsync(n => n.OwnerId == owner), Is.EqualTo(written.Count));
    }

    [Test]
    public async Task Should_keep_pinned_and_longer_retention_executions_and_delete_blobs_before_rows()
    {
        var usual = await UserAsync(retentionDays: 30);
        var keeper = await UserAsync(retentionDays: 90);
        var brief = await UserAsync(retentionDays: 3);
        var day = await PastDayAsync(40);

        var expired = await ExecutionAsync(usual, day.AddHours(1));
        var withBlobs = await ExecutionWithBlobsAsync(usual, day.AddHours(2));
        var pinned = await ExecutionWithBlobsAsync(usual, day.AddHours(3), pinned: true);
        var longer = await ExecutionWithBlobsAsync(keeper, day.AddHours(4));
        var briefOld = await ExecutionWithBlobsAsync(brief, _clock.GetUtcNow().AddDays(-5));
        var briefNew = await ExecutionAsync(brief, _clock.GetUtcNow().AddHours(-1));
        var briefPinned = await ExecutionAsync(brief, _clock.GetUtcNow().AddDays(-6), pinned: true);

        await RunAsync<RetentionJob>(job => job.ExpireExecutionsAsync(CancellationToken.None));

        await using var db = Rows.Db();
        var left = await db.Executions.Where(e => e.OwnerId == usual || e.OwnerId == keeper || e.OwnerId == brief).Select(e => e.Id).ToListAsync();
        Assert.That(left, Is.EquivalentTo(new[] { pinned, longer, briefNew, briefPinned }));
        var nodes = await db.NodeExecutions.Where(n => n.OwnerId == usual || n.OwnerId == keeper || n.OwnerId == brief).Select(n => n.ExecutionId).ToListAsync();
        Assert.That(nodes, Is.EquivalentTo(left), "node rows go and stay with their execution");
        Assert.That(await PartitionOfAsync(pinned), Is.EqualTo("executions_default"));
        Assert.That(await PartitionOfAsync(longer), Is.EqualTo("executions_default"));
        Assert.That(await Rows.BlobNamesAsync(new ExecutionKey(usual, withBlobs)), Is.Empty, "an expired execution's blobs go with it");
        Assert.That(await Rows.BlobNamesAsync(new ExecutionKey(brief, briefOld)), Is.Empty);
        Assert.That(await Rows.BlobNamesAsync(new ExecutionKey(usual, pinned)), Has.Count.EqualTo(2), "a kept execution keeps its blobs");
        Assert.That(await Rows.BlobNamesAsync(new ExecutionKey(keeper, longer)), Has.Count.EqualTo(2));
        Assert.That(expired, Is.Not.EqualTo(withBlobs));

        // Once unpinned, and once the longer retention is shortened, the kept rows go from DEFAULT too.
        await db.Executions.Where(e => e.OwnerId == usual && e.Id == pinned).ExecuteUpdateAsync(e => e.SetProperty(x => x.Pinned, false));
        await db.Users.Where(u => u.Id == keeper).ExecuteUpdateAsync(u => u.SetProperty(x => x.RetentionDays, 30));
        await RunAsync<RetentionJob>(job => job.ExpireExecutionsAsync(CancellationToken.None));
        Assert.That(await db.Executions.CountAsync(e => (e.OwnerId == usual && e.Id == pinned) || (e.OwnerId == keeper && e.Id == longer)), Is.Zero);
        Assert.That(await Rows.BlobNamesAsync(new ExecutionKey(usual, pinned)), Is.Empty);
        Assert.That(await Rows.BlobNamesAsync(new ExecutionKey(keeper, longer)), Is.Empty);
    }

    [Test]
    public async Task Should_drop_webhook_deliveries_older_than_seven_days()
    {
        var owner = await UserAsync(retentionDays: 30);
        var day = await PastDayAsync(9, PartitionedTable.WebhookDeliveries);
        var old = await DeliveryAsync(owner, day.AddHours(1));
        var strayOld = await DeliveryAsync(owner, _clock.GetUtcNow().AddDays(-8));
        var recent = await DeliveryAsync(owner, _clock.GetUtcNow().AddDays(-1));

        await RunAsync<RetentionJob>(job => job.ExpireWebhookDeliveriesAsync(CancellationToken.None));

        await using var db = Rows.Db();
        var left = await db.WebhookDeliveries.Where(d => d.OwnerId == owner).Select(d => d.Id).ToListAsync();
        Assert.That(left, Is.EqualTo(new[] { recent }));
        Assert.That((await Partitions.ListAsync(PartitionedTable.WebhookDeliveries, CancellationToken.None)).Select(p => p.Name),
            Has.None.EqualTo(PartitionedTable.WebhookDeliveries.PartitionName(day)));
        Assert.That(old, Is.Not.EqualTo(strayOld));
    }

    [Test]
    public async Task Should_start_one_execution_for_one_trigger_event_across_a_partition_boundary()
    {
        var owner = await UserAsync(retentionDays: 30);
        var store = _scheduler.Services.GetRequiredService<ExecutionStore>();
        const string Delivery = "hook:msg_2f9a";
        var today = new DateTimeOffset(_clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var first = Queued(owner, today.AddMinutes(-1), Delivery);
        var second = Queued(owner, today.AddMinutes(1), Delivery);

        var firstInserted = await store.InsertQueuedAsync(new QueuedStart(first, 100));
        var secondInserted = await store.InsertQueuedAsync(new QueuedStart(second, 100));

        Assert.That((firstInserted, secondInserted), Is.EqualTo((Insertion.Inserted, Insertion.Duplicate)));
        Assert.That(await store.FindByTriggerAsync(owner, TriggerKind.Webhook, Delivery, CancellationToken.None), Is.EqualTo(first.Id));
        Assert.That(await PartitionOfAsync(first.Id), Is.Not.EqualTo(await PartitionOfAsync(second.Id)), "the ids fall on two days");
        await using var db = Rows.Db();
        Assert.That(await db.Executions.CountAsync(e => e.OwnerId == owner), Is.EqualTo(1));

        // Past the dedupe window the trigger ref is trimmed.
        _clock.Now += TimeSpan.FromDays(8);
        await RunAsync<RetentionJob>(job => job.TrimTriggersAsync(CancellationToken.None));
        Assert.That(await store.FindByTriggerAsync(owner, TriggerKind.Webhook, Delivery, CancellationToken.None), Is.Null);
    }

    private TablePartitions Partitions => _scheduler.Services.GetRequiredService<TablePartitions>();

    private async Task RunAsync<TJob>(Func<TJob, Task> run) where TJob : notnull
    {
        await using var scope = _scheduler.Services.CreateAsyncScope();
        await run(scope.ServiceProvider.GetRequiredService<TJob>());
    }

    /// <summary>The partition of a day <paramref name="daysAgo"/>, as the partition job made it then.</summary>
    private async Task<DateTimeOffset> PastDayAsync(int daysAgo, PartitionedTable? only = null)
    {
        var day = new DateTimeOffset(_clock.GetUtcNow().UtcDateTime.Date.AddDays(-daysAgo), TimeSpan.Zero);
        foreach (var table in only is null ? [PartitionedTable.Executions, PartitionedTable.NodeExecutions] : new[] { only })
        {
            if ((await Partitions.ListAsync(table, CancellationToken.None)).All(p => p.Name != table.PartitionName(day)))
            {
                await Partitions.CreateAsync(table, day, day.AddDays(1), CancellationToken.None);
            }
        }

        return day;
    }

    private static async Task<Guid> UserAsync(int retentionDays)
    {
        var id = Guid.CreateVersion7();
        await using var db = Rows.Db();
        db.Users.Add(new User
        {
            Id = id, Username = $"r{id:N}"[..30], NormalizedUsername = $"r{id:N}"[..30], PasswordHash = "-", RetentionDays = retentionDays,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return id;
    }

    /// <summary>
    /// A finished execution whose outputs, two large values, are kept in blob storage (written first, as the Worker does).
    /// </summary>
    private async Task<Guid> ExecutionWithBlobsAsync(Guid owner, DateTimeOffset at, bool pinned = false)
    {
        var id = Guid.CreateVersion7(at);
        var outputs = await Rows.BlobsAsync(_scheduler.Blobs, new ExecutionKey(owner, id), "report", "archive");
        Assert.That(await Rows.BlobNamesAsync(new ExecutionKey(owner, id)), Has.Count.EqualTo(2));
        return await ExecutionAsync(owner, at, pinned, outputs, id);
    }

    /// <summary>A finished execution made at <paramref name="at"/> (its id dates it), with one node row.</summary>
    private static async Task<Guid> ExecutionAsync(Guid owner, DateTimeOffset at, bool pinned = false, StoredObject? outputs = null, Guid? id = null)
    {
        var execution = Queued(owner, at, triggerRef: null);
        execution.Id = id ?? execution.Id;
        execution.Status = ExecutionStatus.Succeeded;
        execution.Pinned = pinned;
        execution.Outputs = outputs?.Json;
        execution.HasBlobs = outputs?.HasBlobs ?? false;
        await using var db = Rows.Db();
        db.Executions.Add(execution);
        db.NodeExecutions.Add(new NodeExecution { OwnerId = owner, ExecutionId = execution.Id, NodeId = "greet", Status = NodeStatus.Succeeded, Attempts = 1 });
        await db.SaveChangesAsync();
        return execution.Id;
    }

    private static Execution Queued(Guid owner, DateTimeOffset at, string? triggerRef) => new()
    {
        OwnerId = owner,
        Id = Guid.CreateVersion7(at),
        GraphId = Guid.CreateVersion7(),
        GraphVersion = 1,
        Trigger = triggerRef is null ? TriggerKind.Manual : TriggerKind.Webhook,
        TriggerRef = triggerRef,
        Status = ExecutionStatus.Queued,
        Inputs = "{}",
        QueuedAt = at,
    };

    private static async Task<Guid> DeliveryAsync(Guid owner, DateTimeOffset at)
    {
        var delivery = new WebhookDelivery { OwnerId = owner, WebhookId = Guid.CreateVersion7(), Id = Guid.CreateVersion7(at), ReceivedAt = at, StatusCode = 202 };
        await using var db = Rows.Db();
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync();
        return delivery.Id;
    }

    private static async Task<string[]?> StorageParametersAsync(string table)
    {
        await using var connection = new NpgsqlConnection(RealServersSetUp.Isolated.Connections.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT reloptions FROM pg_class WHERE relname = $1", connection)
        {
            Parameters = { new() { Value = table } },
        };
        return await command.ExecuteScalarAsync() as string[];
    }

    private static async Task<string?> PartitionOfAsync(Guid executionId)
    {
        await using var connection = new NpgsqlConnection(RealServersSetUp.Isolated.Connections.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT tableoid::regclass::text FROM executions WHERE id = $1", connection)
        {
            Parameters = { new() { Value = executionId } },
        };
        return await command.ExecuteScalarAsync() as string;
    }
}

/// <summary>A clock the tests set, forward or back (timers still run on real time).</summary>
public sealed class MovableClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => Now;
}
