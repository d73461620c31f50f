using GraphExec.Core.Data;
using GraphExec.Core.Values;
using GraphExec.Engine;
using GraphExec.Scheduler.Features.Blobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.Scheduler.Tests;

/// <summary>
/// A value's blob is written before the row that references it commits. A crash in between leaves a blob that nothing
/// shows (there is no execution to read it through) until the orphan collector, past the grace period, deletes it; so it
/// does with the blobs a finished execution does not reference, and it leaves the referenced ones and those of an
/// unfinished execution alone. The blobs are real, on the run's container of the servers' Azurite.
/// </summary>
public sealed class Collecting_orphan_blobs
{
    private readonly MovableClock _clock = new();
    private SchedulerApp _scheduler = null!;
    private ExecutionKey _neverCommitted;
    private ExecutionKey _finished;
    private ExecutionKey _running;
    private List<string> _referenced = null!;
    private List<string> _unreferenced = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // The job fires only when a test runs it (January 1st), so that none runs alongside one.
        _scheduler = await new SchedulerApp(
            new Dictionary<string, string?> { ["OrphanBlobs:Cron"] = "0 0 0 1 1 *" },
            services => services.AddSingleton<TimeProvider>(_clock)).StartAsync();
        var owner = Guid.CreateVersion7();

        // Written, then the process died before its insert committed: no row, so nothing can show or reference it.
        _neverCommitted = new ExecutionKey(owner, Guid.CreateVersion7());
        await Rows.BlobsAsync(_scheduler.Blobs, _neverCommitted, "upload");

        // A finished execution referencing one blob, and one blob of it left over by an attempt whose row never committed.
        _finished = new ExecutionKey(owner, Guid.CreateVersion7());
        var outputs = await Rows.BlobsAsync(_scheduler.Blobs, _finished, "report");
        _referenced = await Rows.BlobNamesAsync(_finished);
        await Rows.BlobsAsync(_scheduler.Blobs, _finished, "draft");
        _unreferenced = [.. (await Rows.BlobNamesAsync(_finished)).Except(_referenced)];
        await InsertAsync(_finished, ExecutionStatus.Succeeded, outputs);

        // Still running: its next write may reference what it wrote so far.
        _running = new ExecutionKey(owner, Guid.CreateVersion7());
        await Rows.BlobsAsync(_scheduler.Blobs, _running, "partial");
        await InsertAsync(_running, ExecutionStatus.Running, outputs: null);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _scheduler.DisposeAsync();

    [Test, Order(1)]
    public async Task Should_show_no_execution_for_a_blob_whose_row_never_committed()
    {
        await using var db = Rows.Db();

        Assert.That(await db.Executions.AnyAsync(e => e.OwnerId == _neverCommitted.OwnerId && e.Id == _neverCommitted.ExecutionId), Is.False);
        Assert.That(await Rows.BlobNamesAsync(_neverCommitted), Has.Count.EqualTo(1));
        Assert.That(_referenced, Has.Count.EqualTo(1));
        Assert.That(_unreferenced, Has.Count.EqualTo(1));
    }

    [Test, Order(2)]
    public async Task Should_leave_blobs_younger_than_the_grace_period_alone()
    {
        _clock.Now = DateTimeOffset.UtcNow;

        await CollectAsync();

        Assert.That(await Rows.BlobNamesAsync(_neverCommitted), Has.Count.EqualTo(1), "its write may still be under way");
        Assert.That(await Rows.BlobNamesAsync(_finished), Has.Count.EqualTo(2));
    }

    [Test, Order(3)]
    public async Task Should_delete_orphans_past_the_grace_period_and_keep_referenced_blobs()
    {
        _clock.Now = DateTimeOffset.UtcNow + _scheduler.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<BlobOptions>>().Value.OrphanGracePeriod
            + TimeSpan.FromMinutes(1);

        await CollectAsync();

        Assert.That(await Rows.BlobNamesAsync(_neverCommitted), Is.Empty);
        Assert.That(await Rows.BlobNamesAsync(_finished), Is.EqualTo(_referenced), "the referenced blob stays, the other goes");
        Assert.That(await Rows.BlobNamesAsync(_running), Has.Count.EqualTo(1), "an unfinished execution's blobs are left to its run");
    }

    private async Task CollectAsync()
    {
        await using var scope = _scheduler.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OrphanBlobCollector>().CollectAsync(CancellationToken.None);
    }

    private static async Task InsertAsync(ExecutionKey execution, ExecutionStatus status, StoredObject? outputs)
    {
        await using var db = Rows.Db();
        db.Executions.Add(new Execution
        {
            OwnerId = execution.OwnerId,
            Id = execution.ExecutionId,
            GraphId = Guid.CreateVersion7(),
            GraphVersion = 1,
            Trigger = TriggerKind.Manual,
            Status = status,
            Inputs = "{}",
            Outputs = outputs?.Json,
            HasBlobs = outputs?.HasBlobs ?? false,
            QueuedAt = DateTimeOffset.UtcNow,
            StartedAt = status == ExecutionStatus.Running ? DateTimeOffset.UtcNow : null,
            LeaseExpiresAt = status == ExecutionStatus.Running ? DateTimeOffset.UtcNow.AddHours(2) : null,
        });
        await db.SaveChangesAsync();
    }
}
