using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Core.Values;
using GraphExec.Engine;
using GraphExec.Scheduler.Features.Blobs;
using GraphExec.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GraphExec.Scheduler.Tests;

/// <summary>
/// A retry reads the values of the nodes it reuses from blobs of its own, copied from the execution it retries: once that
/// execution and its blobs are gone (retention), the orphan collector keeps the retry's referenced copies and deletes
/// only the copies nothing in the retry references.
/// </summary>
public sealed class Keeping_the_blobs_of_a_retry
{
    private readonly MovableClock _clock = new();
    private SchedulerApp _scheduler = null!;

    [OneTimeSetUp]
    public async Task StartAsync() =>
        // The job fires only when the test runs it (January 1st).
        _scheduler = await new SchedulerApp(
            new Dictionary<string, string?> { ["OrphanBlobs:Cron"] = "0 0 0 1 1 *" },
            services => services.AddSingleton<TimeProvider>(_clock)).StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _scheduler.DisposeAsync();

    [Test]
    public async Task Should_keep_the_copies_the_retry_references_after_the_retried_execution_is_gone()
    {
        var (ownerId, graphId) = await Rows.GraphAsync(SampleGraphs.Greeting);
        var retried = new ExecutionKey(ownerId, Guid.CreateVersion7());
        var reused = await Rows.BlobsAsync(_scheduler.Blobs, retried, "reused");
        var failed = await Rows.BlobsAsync(_scheduler.Blobs, retried, "failed");
        await StoreFailedRunAsync(retried, graphId, reused, failed);

        var retry = new ExecutionKey(ownerId, await RetryAsync(retried));
        await EndAsync(retry);
        await _scheduler.Blobs.DeleteAsync([retried], CancellationToken.None);
        _clock.Now = DateTimeOffset.UtcNow + _scheduler.Services.GetRequiredService<IOptions<BlobOptions>>().Value.OrphanGracePeriod + TimeSpan.FromMinutes(1);
        await using (var scope = _scheduler.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OrphanBlobCollector>().CollectAsync(CancellationToken.None);
        }

        var kept = (await Rows.BlobNamesAsync(retry)).Select(name => BlobNames.Parse(name)!.Value.Key);
        await using var value = await _scheduler.Blobs.OpenAsync(retry, Key(reused, "reused"), CancellationToken.None);

        Assert.That(kept, Is.EqualTo(new[] { Key(reused, "reused") }), "the referenced copy stays, the other goes");
        Assert.That(value, Is.Not.Null, "the reused value reads from the retry's own blob");
    }

    private static string Key(StoredObject stored, string name) =>
        ValueReference.From(JsonNode.Parse(stored.Json)![name])!.Key;

    /// <summary>A run that failed at <c>greet</c> after <c>who</c> fired a large value; <c>greet</c>'s input was large too.</summary>
    private static async Task StoreFailedRunAsync(ExecutionKey execution, Guid graphId, StoredObject reused, StoredObject failed)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = Rows.Db();
        db.Executions.Add(new Execution
        {
            OwnerId = execution.OwnerId, Id = execution.ExecutionId, GraphId = graphId, GraphVersion = 1, Trigger = TriggerKind.Manual,
            Status = ExecutionStatus.Failed, Inputs = "{}", HasBlobs = true, QueuedAt = now, FinishedAt = now,
        });
        db.NodeExecutions.AddRange(
            new NodeExecution { OwnerId = execution.OwnerId, ExecutionId = execution.ExecutionId, NodeId = "who", Status = NodeStatus.Succeeded, Outputs = reused.Json },
            new NodeExecution { OwnerId = execution.OwnerId, ExecutionId = execution.ExecutionId, NodeId = "greet", Status = NodeStatus.Failed, Inputs = failed.Json });
        await db.SaveChangesAsync();
    }

    /// <summary>Retries as the Api does.</summary>
    private async Task<Guid> RetryAsync(ExecutionKey execution)
    {
        await using var scope = _scheduler.Services.CreateAsyncScope();
        var retrier = ActivatorUtilities.CreateInstance<ExecutionRetrier>(scope.ServiceProvider);
        var outcome = await retrier.RetryAsync(execution.OwnerId, execution.ExecutionId, live: false, CancellationToken.None);
        return ((RetryOutcome.Started)outcome).Execution.ExecutionId;
    }

    /// <summary>The retry ended (it has no Worker here): the collector now deletes what it does not reference.</summary>
    private static async Task EndAsync(ExecutionKey execution)
    {
        await using var db = Rows.Db();
        await db.Executions.Where(e => e.OwnerId == execution.OwnerId && e.Id == execution.ExecutionId)
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.Status, ExecutionStatus.Failed));
    }
}
