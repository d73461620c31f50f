using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Engine;
using GraphExec.Hosting.Secrets;
using GraphExec.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace GraphExec.Worker.Tests.Support;

/// <summary>One user of a test, with the graphs and executions it makes, written straight to the database.</summary>
public sealed class Scenario
{
    private Scenario(Guid ownerId) => OwnerId = ownerId;

    public Guid OwnerId { get; }

    public static async Task<Scenario> NewUserAsync()
    {
        var id = Guid.CreateVersion7();
        await WorkerHost.WithDatabaseAsync(async db =>
        {
            var name = $"user-{id:N}"[..30];
            db.Users.Add(new User { Id = id, Username = name, NormalizedUsername = name, PasswordHash = "-", CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        return new Scenario(id);
    }

    /// <summary>Saves the graph as version 1.</summary>
    public Task<Guid> SaveGraphAsync(string json) => SaveGraphAsync(Guid.CreateVersion7(), json);

    /// <summary>Saves the graph as version 1 under <paramref name="id"/>, for a graph that names itself.</summary>
    public async Task<Guid> SaveGraphAsync(Guid id, string json)
    {
        var now = DateTimeOffset.UtcNow;
        await WorkerHost.WithDatabaseAsync(async db =>
        {
            db.Graphs.Add(new Graph { OwnerId = OwnerId, Id = id, Name = "test", Version = 1, CreatedAt = now, UpdatedAt = now });
            db.GraphVersions.Add(new GraphVersion { OwnerId = OwnerId, GraphId = id, Version = 1, Definition = json, CreatedAt = now });
            return await db.SaveChangesAsync();
        });
        return id;
    }

    /// <summary>
    /// Stores a run as Queued without publishing it, as between a trigger's insert and its publish; the inputs are stored
    /// as given, even ones no trigger would accept.
    /// </summary>
    public async Task<Guid> QueueUnpublishedAsync(Guid graphId, string inputs = "{}")
    {
        var execution = new Execution
        {
            OwnerId = OwnerId, Id = Guid.CreateVersion7(), GraphId = graphId, GraphVersion = 1, Inputs = inputs,
            Status = ExecutionStatus.Queued, QueuedAt = DateTimeOffset.UtcNow,
        };
        await WorkerHost.Services.GetRequiredService<ExecutionStore>().InsertQueuedAsync([new QueuedStart(execution, int.MaxValue)], transaction: null, CancellationToken.None);
        return execution.Id;
    }

    /// <summary>Stores <paramref name="count"/> runs as Queued in one insert, without publishing them.</summary>
    public async Task<List<Guid>> QueueUnpublishedAsync(Guid graphId, int count)
    {
        var now = DateTimeOffset.UtcNow;
        var executions = Enumerable.Range(0, count).Select(_ => new Execution
        {
            OwnerId = OwnerId, Id = Guid.CreateVersion7(), GraphId = graphId, GraphVersion = 1, Inputs = "{}",
            Status = ExecutionStatus.Queued, QueuedAt = now,
        }).ToList();
        await WorkerHost.Services.GetRequiredService<ExecutionStore>().InsertQueuedAsync(
            [.. executions.Select(execution => new QueuedStart(execution, int.MaxValue))], transaction: null, CancellationToken.None);
        return executions.Select(e => e.Id).ToList();
    }

    /// <summary>The user's slot counter (<c>owner_slots.running</c>), null before the first claim made it.</summary>
    public Task<int?> RunningSlotsAsync() =>
        WorkerHost.WithDatabaseAsync(db => db.OwnerSlots.Where(s => s.OwnerId == OwnerId).Select(s => (int?)s.Running).SingleOrDefaultAsync());

    public Task<List<Execution>> ExecutionsAsync() =>
        WorkerHost.WithDatabaseAsync(db => db.Executions.AsNoTracking().Where(e => e.OwnerId == OwnerId).ToListAsync());

    /// <summary>Starts a run the way every trigger does: the row as Queued, then <c>ExecuteGraph</c>.</summary>
    public async Task<Guid> StartAsync(Guid graphId, string inputs = "{}", bool live = false)
    {
        await using var scope = WorkerHost.Services.CreateAsyncScope();
        var starter = ActivatorUtilities.CreateInstance<ExecutionStarter>(scope.ServiceProvider);
        var started = await starter.StartAsync(
            new StartExecution(OwnerId, graphId, 1, TriggerKind.Manual, null, JsonNode.Parse(inputs)!.AsObject(), live),
            CancellationToken.None);
        return started.ExecutionId;
    }

    /// <summary>Stores a credential as the Api does: encrypted for its owner with the run's key ring.</summary>
    public Task AddCredentialAsync(string name, string value) => WorkerHost.WithDatabaseAsync(db =>
    {
        var now = DateTimeOffset.UtcNow;
        db.Credentials.Add(new Credential
        {
            OwnerId = OwnerId, Id = Guid.CreateVersion7(), Name = name, CreatedAt = now, UpdatedAt = now,
            ProtectedValue = WorkerHost.Services.GetRequiredService<SecretProtection>().ProtectCredential(OwnerId, value),
        });
        return db.SaveChangesAsync();
    });

    /// <summary>The execution's live events as the Live service would read them from Redis, once the last one is there.</summary>
    public async Task<List<string>> LiveEventsAsync(Guid executionId)
    {
        var redis = WorkerHost.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var key = LiveStream.BacklogKey(RealServersSetUp.Isolated.CacheKeyPrefix, OwnerId, executionId);
        var events = new List<string>();
        await Poll.UntilAsync(async () =>
        {
            events = [.. (await redis.StreamRangeAsync(key)).Select(entry => (string)entry[LiveStream.EventField]!)];
            return events.Any(e => e.Contains("ExecutionCompleted", StringComparison.Ordinal));
        }, "the live events to reach Redis");
        return events;
    }

    /// <summary>Retries an execution from its failed node as the Api does, live.</summary>
    public async Task<Guid> RetryAsync(Guid executionId)
    {
        await using var scope = WorkerHost.Services.CreateAsyncScope();
        var starter = ActivatorUtilities.CreateInstance<ExecutionStarter>(scope.ServiceProvider);
        var retrier = ActivatorUtilities.CreateInstance<ExecutionRetrier>(scope.ServiceProvider, starter);
        var outcome = await retrier.RetryAsync(OwnerId, executionId, live: true, CancellationToken.None);
        return ((RetryOutcome.Started)outcome).Execution.ExecutionId;
    }

    public Task<Execution> ExecutionAsync(Guid executionId) =>
        WorkerHost.WithDatabaseAsync(db => db.Executions.AsNoTracking().SingleAsync(e => e.OwnerId == OwnerId && e.Id == executionId));

    public Task<List<NodeExecution>> NodesAsync(Guid executionId) =>
        WorkerHost.WithDatabaseAsync(db => db.NodeExecutions.AsNoTracking()
            .Where(n => n.OwnerId == OwnerId && n.ExecutionId == executionId).OrderBy(n => n.NodeId).ToListAsync());

    public async Task<Execution> WaitForStatusAsync(Guid executionId, params ExecutionStatus[] statuses)
    {
        Execution? execution = null;
        await Poll.UntilAsync(async () => Array.IndexOf(statuses, (execution = await ExecutionAsync(executionId)).Status) >= 0,
            $"execution {executionId} to become {string.Join(" or ", statuses)}");
        return execution!;
    }

    /// <summary>Cancels as the Api does.</summary>
    public async Task<CancelOutcome> CancelAsync(Guid executionId)
    {
        await using var scope = WorkerHost.Services.CreateAsyncScope();
        var canceller = ActivatorUtilities.CreateInstance<ExecutionCanceller>(scope.ServiceProvider);
        return await canceller.CancelAsync(OwnerId, executionId, CancellationToken.None);
    }

    public Task<Execution> WaitForEndAsync(Guid executionId) => WaitForStatusAsync(
        executionId, ExecutionStatus.Succeeded, ExecutionStatus.Failed, ExecutionStatus.Cancelled, ExecutionStatus.TimedOut);
}
