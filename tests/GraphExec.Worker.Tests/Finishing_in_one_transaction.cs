using GraphExec.Core.Executions;
using GraphExec.Engine;
using GraphExec.Testing;
using GraphExec.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GraphExec.Worker.Tests;

/// <summary>
/// A finish stores the nodes, the outcome, the slot given back and the wake-up in one transaction (with the other finishes
/// of its batch): when it breaks in the middle (here a trigger makes the final update fail after the nodes were written),
/// none of it is stored, the claim still holds, and the worker that takes over finishes the run once.
/// </summary>
public sealed class Finishing_in_one_transaction
{
    private static ExecutionStore Store => WorkerHost.Services.GetRequiredService<ExecutionStore>();

    [Test]
    public async Task Should_store_nothing_of_a_finish_that_breaks_in_the_middle_and_let_a_takeover_finish_it_once()
    {
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Greeting);
        var executionId = await user.QueueUnpublishedAsync(graph);
        var first = await Store.ClaimAsync(user.OwnerId, executionId, "worker-that-breaks", TimeSpan.FromMilliseconds(200), 5);
        Assert.That(first.Outcome, Is.EqualTo(ClaimOutcome.Claimed));
        NodeRow[] nodes = [new("input", NodeStatus.Succeeded, "{}", """{"who":"Ada"}""", null, 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow)];

        await using (await BreakFinishOfAsync(executionId))
        {
            Assert.That(
                async () => await Store.FinishAsync(first.Claim!, nodes, ExecutionStatus.Succeeded, "{}", null, DateTimeOffset.UtcNow, 3),
                Throws.InstanceOf<PostgresException>());
        }

        var unfinished = await user.ExecutionAsync(executionId);
        Assert.That(unfinished.Status, Is.EqualTo(ExecutionStatus.Running));
        Assert.That(unfinished.Attempt, Is.EqualTo(1));
        Assert.That(await user.NodesAsync(executionId), Is.Empty, "the nodes written before the break were rolled back");
        Assert.That(await user.RunningSlotsAsync(), Is.EqualTo(1), "the slot is still held");

        var takeover = await Poll.UntilAsync(
            () => Store.ClaimAsync(user.OwnerId, executionId, "worker-that-takes-over", WorkerHost.Lease, 5),
            claim => claim.Outcome == ClaimOutcome.Claimed,
            "the takeover once the broken worker's lease expired");
        Assert.That(takeover.Claim!.Takeover, Is.True);
        var (stored, _, _) = await Store.FinishAsync(takeover.Claim, nodes, ExecutionStatus.Succeeded, "{}", null, DateTimeOffset.UtcNow, 3);

        Assert.That(stored, Is.True);
        var finished = await user.ExecutionAsync(executionId);
        Assert.That(finished.Status, Is.EqualTo(ExecutionStatus.Succeeded));
        Assert.That(finished.Attempt, Is.EqualTo(2));
        Assert.That((await user.NodesAsync(executionId)).Select(n => n.NodeId), Is.EqualTo(new[] { "input" }));
        Assert.That(await user.RunningSlotsAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Should_store_no_node_of_a_finish_that_races_a_takeover_claim()
    {
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Greeting);
        var executionId = await user.QueueUnpublishedAsync(graph);
        var first = await Store.ClaimAsync(user.OwnerId, executionId, "worker-that-was-slow", WorkerHost.Lease, 5);
        NodeRow[] nodes = [new("input", NodeStatus.Succeeded, "{}", """{"who":"Ada"}""", null, 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow)];

        // A takeover's claim holds the row, uncommitted (as a claim does while it runs), when the old worker's finish comes.
        var dataSource = WorkerHost.Services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var takeover = await connection.BeginTransactionAsync();
        await using (var claim = new NpgsqlCommand(
            $"UPDATE executions SET attempt = attempt + 1, lease_owner = 'worker-that-takes-over' WHERE owner_id = '{user.OwnerId}' AND id = '{executionId}'",
            connection, takeover))
        {
            await claim.ExecuteNonQueryAsync();
        }

        var finish = Store.FinishAsync(first.Claim!, nodes, ExecutionStatus.Succeeded, "{}", null, DateTimeOffset.UtcNow, 3);
        // Its nodes (with the fence's lock) or its final update wait for the claim's row lock.
        await Poll.UntilAsync(async () => await WaitingForALockAsync(dataSource), "the finish to wait for the claim's row lock");
        await takeover.CommitAsync();
        var (stored, _, _) = await finish;

        Assert.That(stored, Is.False, "the lease was lost to the takeover");
        Assert.That(await user.NodesAsync(executionId), Is.Empty,
            "nodes committed after the takeover's claim would be missed by it and run again");
    }

    /// <summary>
    /// Finishes asked while one is under way share the next batch's transaction; when one of them breaks, the batch is
    /// rolled back and tried again one finish at a time, so that only the broken one fails.
    /// </summary>
    [Test]
    public async Task Should_store_the_other_finishes_of_a_batch_when_one_breaks_in_the_middle()
    {
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Greeting);
        var dataSource = WorkerHost.Services.GetRequiredService<NpgsqlDataSource>();
        var worker = new ExecutionStore(dataSource, new QueuedCounts());
        var claims = new List<Claim>();
        foreach (var id in await user.QueueUnpublishedAsync(graph, 6))
        {
            claims.Add((await worker.ClaimAsync(user.OwnerId, id, "worker", WorkerHost.Lease, 10)).Claim!);
        }

        var (first, batch) = (claims[0], claims[1..]);
        var broken = batch[2];
        NodeRow[] nodes = [new("input", NodeStatus.Succeeded, "{}", """{"who":"Ada"}""", null, 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow)];

        // The owner's counter row is held elsewhere, so the first finish waits in its statement and the others gather
        // behind it. (The trigger comes first: creating it waits for every open transaction that wrote executions.)
        await using (await BreakFinishOfAsync(broken.ExecutionId))
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var holder = await connection.BeginTransactionAsync();
            await using (var hold = new NpgsqlCommand($"SELECT FROM owner_slots WHERE owner_id = '{user.OwnerId}' FOR UPDATE", connection, holder))
            {
                await hold.ExecuteNonQueryAsync();
            }

            var firstFinish = worker.FinishAsync(first, nodes, ExecutionStatus.Succeeded, "{}", null, DateTimeOffset.UtcNow, 3);
            await Poll.UntilAsync(async () => await WaitingForALockAsync(dataSource), "the first finish to wait for the counter row");
            var finishes = batch.Select(claim => worker.FinishAsync(claim, nodes, ExecutionStatus.Succeeded, "{}", null, DateTimeOffset.UtcNow, 3)).ToList();
            await holder.CommitAsync();

            Assert.That((await firstFinish).Stored, Is.True);
            for (var i = 0; i < batch.Count; i++)
            {
                if (batch[i] == broken)
                {
                    Assert.That(async () => await finishes[i], Throws.InstanceOf<PostgresException>());
                }
                else
                {
                    Assert.That((await finishes[i]).Stored, Is.True, $"finish {i}");
                }
            }
        }

        foreach (var claim in claims.Where(c => c != broken))
        {
            Assert.That((await user.ExecutionAsync(claim.ExecutionId)).Status, Is.EqualTo(ExecutionStatus.Succeeded));
            Assert.That((await user.NodesAsync(claim.ExecutionId)).Select(n => n.NodeId), Is.EqualTo(new[] { "input" }));
        }

        Assert.That((await user.ExecutionAsync(broken.ExecutionId)).Status, Is.EqualTo(ExecutionStatus.Running));
        Assert.That(await user.NodesAsync(broken.ExecutionId), Is.Empty, "the broken finish's nodes were rolled back");
        Assert.That(await user.RunningSlotsAsync(), Is.EqualTo(1), "only the broken run still holds its slot");
    }

    private static async Task<bool> WaitingForALockAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT EXISTS (SELECT FROM pg_stat_activity WHERE wait_event_type = 'Lock'
                           AND (query LIKE '%INSERT INTO node_executions%' OR query LIKE '%finished_at = f.finished_at%'))
            """);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Makes the final update of one execution fail until disposed.</summary>
    private static async Task<IAsyncDisposable> BreakFinishOfAsync(Guid executionId)
    {
        var dataSource = WorkerHost.Services.GetRequiredService<NpgsqlDataSource>();
        var name = $"break_{executionId:N}";
        await using (var command = dataSource.CreateCommand($"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'the finish breaks here'; END $$;
            CREATE TRIGGER {name} BEFORE UPDATE OF status ON executions
            FOR EACH ROW WHEN (NEW.id = '{executionId}' AND NEW.status <> {(short)ExecutionStatus.Running}) EXECUTE FUNCTION {name}();
            """))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new Unbreak(dataSource, name);
    }

    private sealed class Unbreak(NpgsqlDataSource dataSource, string name) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using var command = dataSource.CreateCommand($"DROP TRIGGER {name} ON executions; DROP FUNCTION {name}();");
            await command.ExecuteNonQueryAsync();
        }
    }
}
