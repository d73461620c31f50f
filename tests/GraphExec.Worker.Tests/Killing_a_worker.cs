using System.Globalization;
using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Core.Quotas;
using GraphExec.Core.Values;
using GraphExec.Engine;
using GraphExec.Testing;
using GraphExec.Worker.Tests.Support;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GraphExec.Worker.Tests;

/// <summary>
/// A real worker process is killed with SIGKILL in the middle of its runs; a worker started afterwards takes them over
/// once the dead one's lease expires and resumes them. On servers of its own, so that no other worker competes.
/// </summary>
public sealed class Killing_a_worker
{
    private const int Executions = 4;

    private const string TwoWaits = """
        {
          "name": "Two waits",
          "nodes": [
            { "id": "value", "block": "input",  "config": { "name": "value", "default": "done" } },
            { "id": "wait1", "block": "delay",  "config": { "milliseconds": 1500 } },
            { "id": "wait2", "block": "delay",  "config": { "milliseconds": 1500 } },
            { "id": "out",   "block": "output", "config": { "name": "waited" } }
          ],
          "edges": [
            { "from": "value.value", "to": "wait1.value" },
            { "from": "wait1.value", "to": "wait2.value" },
            { "from": "wait2.value", "to": "out.value" }
          ]
        }
        """;

    private IsolatedServers _servers = null!;
    private ServiceProcess? _victim;

    [SetUp]
    public async Task IsolateAsync() => _servers = await RealServersSetUp.Servers.IsolateAsync("worker_kill");

    [TearDown]
    public async Task CleanUpAsync()
    {
        _victim?.Dispose();
        await _servers.DisposeAsync();
    }

    [Test]
    public async Task Should_finish_every_execution_once_on_another_worker_without_running_completed_nodes_again()
    {
        // Runs that keep their slot, whose messages the broker gives the survivor; a detached run of a dead Worker is
        // the sweeper's to publish again (Sweeping_stalled_executions), and no Scheduler runs here.
        var settings = new Dictionary<string, string>(WorkerHost.Settings(_servers))
        {
            ["Quotas:RunningExecutions"] = "25",
            ["Worker:DetachAfter"] = Timeout.InfiniteTimeSpan.ToString(),
        };
        _victim = await ServiceProcess.StartAsync("GraphExec.Worker", settings);

        var owner = Guid.CreateVersion7();
        var graph = Guid.CreateVersion7();
        var ids = await StartExecutionsAsync(owner, graph);

        // Kill once every run is past its first delay (written as it completes), during its second.
        await Poll.UntilAsync(async () => (await NodesAsync(owner)).Count(n => n.NodeId == "wait1") == Executions, "every first delay to be written");
        var beforeKill = (await NodesAsync(owner)).Where(n => n.NodeId == "wait1").ToDictionary(n => n.ExecutionId, n => n.FinishedAt);
        _victim.Kill();
        var killedAt = DateTimeOffset.UtcNow;

        await using var survivor = await WorkerHost.StartAsync(settings);
        List<Execution> ended = [];
        await Poll.UntilAsync(async () =>
        {
            ended = await WithDatabaseAsync(db => db.Executions.AsNoTracking().Where(e => e.OwnerId == owner).ToListAsync());
            return ended.All(e => e.Status is not (ExecutionStatus.Queued or ExecutionStatus.Running));
        }, "every execution to end");
        var nodes = await NodesAsync(owner);

        Assert.That(ended.Select(e => e.Id), Is.EquivalentTo(ids));
        Assert.That(ended.Select(e => e.Status), Has.All.EqualTo(ExecutionStatus.Succeeded));
        Assert.That(ended.Select(e => e.Attempt), Has.All.EqualTo(2), "claimed by the victim, then taken over once");
        Assert.That(ended.Select(e => JsonNode.Parse(e.Outputs!)!["waited"]!.GetValue<string>()), Has.All.EqualTo("done"));
        foreach (var node in nodes.Where(n => n.NodeId == "wait1"))
        {
            Assert.That(node.FinishedAt, Is.EqualTo(beforeKill[node.ExecutionId]), "the first delay was not run again");
        }

        // The takeover waits for the lease; generous slack for starting the new worker on a loaded machine.
        var takeovers = nodes.Where(n => n.NodeId == "wait2").Select(n => n.StartedAt!.Value - killedAt).ToList();
        await TestContext.Progress.WriteLineAsync(
            $"Takeover after the kill: {string.Join(", ", takeovers.Select(t => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)))} s (lease {WorkerHost.Lease.TotalSeconds} s).");
        Assert.That(takeovers, Has.All.LessThan(WorkerHost.Lease + TimeSpan.FromSeconds(20)));
    }

    private async Task<List<Guid>> StartExecutionsAsync(Guid owner, Guid graph)
    {
        await WithDatabaseAsync(db =>
        {
            var now = DateTimeOffset.UtcNow;
            db.Users.Add(new User { Id = owner, Username = $"kill-{owner:N}"[..30], NormalizedUsername = $"kill-{owner:N}"[..30], PasswordHash = "-", CreatedAt = now });
            db.Graphs.Add(new Graph { OwnerId = owner, Id = graph, Name = "two waits", Version = 1, CreatedAt = now, UpdatedAt = now });
            db.GraphVersions.Add(new GraphVersion { OwnerId = owner, GraphId = graph, Version = 1, Definition = TwoWaits, CreatedAt = now });
            return db.SaveChangesAsync();
        });

        // A bus without consumers, only to publish on the victim's virtual host.
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(_servers.Connections.Broker)));
        await bus.StartAsync();
        try
        {
            var ids = new List<Guid>();
            await using var dataSource = NpgsqlDataSource.Create(_servers.Connections.Database);
            var starter = new ExecutionStarter(
                new ExecutionStore(dataSource, new QueuedCounts()), WorkerHost.Services.GetRequiredService<ExecutionBlobStore>(), bus,
                Options.Create(new QuotaOptions()), TimeProvider.System, NullLogger<ExecutionStarter>.Instance);
            for (var i = 0; i < Executions; i++)
            {
                var started = await starter.StartAsync(new StartExecution(owner, graph, 1, TriggerKind.Manual, null, [], Live: false), CancellationToken.None);
                ids.Add(started.ExecutionId);
            }

            return ids;
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private Task<List<NodeExecution>> NodesAsync(Guid owner) =>
        WithDatabaseAsync(db => db.NodeExecutions.AsNoTracking().Where(n => n.OwnerId == owner).ToListAsync());

    private async Task<T> WithDatabaseAsync<T>(Func<GraphExecDbContext, Task<T>> action)
    {
        await using var db = NewContext();
        return await action(db);
    }

    private GraphExecDbContext NewContext()
    {
        var options = new DbContextOptionsBuilder<GraphExecDbContext>();
        options.UseGraphExecNpgsql(_servers.Connections.Database);
        return new GraphExecDbContext(options.Options);
    }
}
