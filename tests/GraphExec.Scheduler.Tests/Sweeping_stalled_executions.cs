using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Engine;
using GraphExec.Testing;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Scheduler.Tests;

/// <summary>
/// The sweeper publishes again what was stored but never published, so that a run accepted is never lost, and gives up
/// with a clear reason after the most attempts.
/// </summary>
public sealed class Sweeping_stalled_executions
{
    private const int MaxSweeps = 3;

    private SchedulerApp _scheduler = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        await TestRun.WorkerAsync();
        _scheduler = await new SchedulerApp(new Dictionary<string, string?>
        {
            ["Sweeper:Cron"] = "* * * * * *",
            ["Sweeper:Threshold"] = "00:00:02",
            ["Sweeper:MaxSweeps"] = MaxSweeps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sweeper:NotificationThreshold"] = "00:00:02",
        }).StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _scheduler.DisposeAsync();

    [Test]
    public async Task Should_publish_an_execution_whose_publish_was_lost_and_see_it_succeed()
    {
        var graph = await Rows.GraphAsync(SampleGraphs.Greeting);
        var execution = await InsertQueuedAsync(graph, sweeps: 0);

        var finished = await Poll.UntilAsync(() => ReloadAsync(execution), e => e.Status == ExecutionStatus.Succeeded,
            "the swept execution to succeed");

        Assert.That(finished.Sweeps, Is.EqualTo(1));
        Assert.That(JsonNode.Parse(finished.Outputs!)!["greeting"]!.GetValue<string>(), Is.EqualTo("Hello, Ada!"));
    }

    [Test]
    public async Task Should_mark_failed_with_the_reason_after_the_most_publishes()
    {
        var graph = await Rows.GraphAsync(SampleGraphs.Greeting);
        // A graph version that does not exist would fail on the worker; this one is valid but was published as often as allowed.
        var execution = await InsertQueuedAsync(graph, sweeps: MaxSweeps);

        var failed = await Poll.UntilAsync(() => ReloadAsync(execution), e => e.Status != ExecutionStatus.Queued,
            "the sweeper to give the execution up");

        Assert.That(failed.Status, Is.EqualTo(ExecutionStatus.Failed));
        var error = JsonNode.Parse(failed.Error!)!;
        Assert.That(error["code"]!.GetValue<string>(), Is.EqualTo(ExecutionError.Stalled));
        Assert.That(error["message"]!.GetValue<string>(), Does.Contain($"published {MaxSweeps + 1} times"));
        Assert.That(failed.FinishedAt, Is.Not.Null);
    }

    [Test]
    public async Task Should_publish_a_pending_notification_whose_publish_was_lost_and_start_the_error_handler()
    {
        var graph = await Rows.GraphAsync(SampleGraphs.Greeting);
        var handler = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        await using (var db = Rows.Db())
        {
            db.Graphs.Add(new Graph { OwnerId = graph.OwnerId, Id = handler, Name = "On failure", Version = 1, CreatedAt = now, UpdatedAt = now });
            db.GraphVersions.Add(new GraphVersion
            {
                OwnerId = graph.OwnerId, GraphId = handler, Version = 1, CreatedAt = now, Definition = """
                    { "name": "On failure",
                      "nodes": [{ "id": "execution", "block": "input", "config": { "name": "execution" } },
                                { "id": "seen", "block": "output", "config": { "name": "seen" } }],
                      "edges": [{ "from": "execution.value", "to": "seen.value" }] }
                    """,
            });
            (await db.Graphs.SingleAsync(g => g.OwnerId == graph.OwnerId && g.Id == graph.GraphId)).ErrorGraphId = handler;
            await db.SaveChangesAsync();
        }

        // Failed, with its notification pending: the worker that ended it stopped before publishing ExecutionCompleted.
        var failed = new Execution
        {
            OwnerId = graph.OwnerId, Id = Guid.CreateVersion7(), GraphId = graph.GraphId, GraphVersion = 1, Trigger = TriggerKind.Manual,
            Status = ExecutionStatus.Failed, Inputs = "{}", Error = """{"code":"block_failed","message":"No.","nodeId":"greet"}""",
            Notify = true, QueuedAt = now, FinishedAt = now,
        };
        await using (var db = Rows.Db())
        {
            db.Executions.Add(failed);
            await db.SaveChangesAsync();
        }

        var handled = await Poll.UntilAsync(
            async () =>
            {
                await using var db = Rows.Db();
                return await db.Executions.AsNoTracking()
                    .SingleOrDefaultAsync(e => e.OwnerId == graph.OwnerId && e.Trigger == TriggerKind.Error && e.Status == ExecutionStatus.Succeeded);
            },
            e => e is not null, "the error handler started by the swept notification to succeed");
        var notified = await Poll.UntilAsync(() => ReloadAsync(failed), e => !e.Notify, "the notification to be marked handled");

        Assert.Multiple(() =>
        {
            Assert.That(handled!.TriggerRef, Is.EqualTo(failed.Id.ToString()));
            Assert.That(JsonNode.Parse(handled.Outputs!)!["seen"]!["failedNodeId"]!.GetValue<string>(), Is.EqualTo("greet"));
            Assert.That(notified.Sweeps, Is.GreaterThanOrEqualTo(1));
        });
    }

    /// <summary>An execution stored as Queued whose ExecuteGraph was never published, as when the broker was away.</summary>
    private static async Task<Execution> InsertQueuedAsync((Guid OwnerId, Guid GraphId) graph, int sweeps)
    {
        var execution = new Execution
        {
            OwnerId = graph.OwnerId,
            Id = Guid.CreateVersion7(),
            GraphId = graph.GraphId,
            GraphVersion = 1,
            Trigger = TriggerKind.Manual,
            Status = ExecutionStatus.Queued,
            Inputs = """{"who":"Ada"}""",
            Sweeps = sweeps,
            QueuedAt = DateTimeOffset.UtcNow,
        };
        await using var db = Rows.Db();
        db.Executions.Add(execution);
        await db.SaveChangesAsync();
        return execution;
    }

    private static async Task<Execution> ReloadAsync(Execution execution)
    {
        await using var db = Rows.Db();
        return db.Executions.Single(e => e.OwnerId == execution.OwnerId && e.Id == execution.Id);
    }
}
