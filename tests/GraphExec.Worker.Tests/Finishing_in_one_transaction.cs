using GraphExec.Core.Executions;
using GraphExec.Engine;
using GraphExec.Testing;
using GraphExec.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GraphExec.Worker.Tests;

/// <summary>
/// A finish stores the nodes, the outcome, the slot given back and the wake-up in one transaction: when it breaks in the
/// middle (here a trigger makes the final update fail after the nodes were written), none of it is stored, the claim
/// still holds, and the worker that takes over finishes the run once.
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
        var first = await Store.ClaimAsync(user.OwnerId, executionId, "worker-that-breaks", TimeSpan.FromMilliseconds(200), 5, CancellationToken.None);
        Assert.That(first.Outcome, Is.EqualTo(ClaimOutcome.Claimed));
        NodeRow[] nodes = [new("input", NodeStatus.Succeeded, "{}", """{"who":"Ada"}""", null, 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow)];

        await using (await BreakFinishOfAsync(executionId))
        {
            Assert.That(
                async () => await Store.FinishAsync(first.Claim!, nodes, ExecutionStatus.Succeeded, "{}", null, DateTimeOffset.UtcNow, 3, CancellationToken.None),
                Throws.InstanceOf<PostgresException>());
        }

        var unfinished = await user.ExecutionAsync(executionId);
        Assert.That(unfinished.Status, Is.EqualTo(ExecutionStatus.Running));
        Assert.That(unfinished.Attempt, Is.EqualTo(1));
        Assert.That(await user.NodesAsync(executionId), Is.Empty, "the nodes written before the break were rolled back");
        Assert.That(await user.RunningSlotsAsync(), Is.EqualTo(1), "the slot is still held");

        var takeover = await Poll.UntilAsync(
            () => Store.ClaimAsync(user.OwnerId, executionId, "worker-that-takes-over", WorkerHost.Lease, 5, CancellationToken.None),
            claim => claim.Outcome == ClaimOutcome.Claimed,
            "the takeover once the broken worker's lease expired");
        Assert.That(takeover.Claim!.Takeover, Is.True);
        var (stored, _) = await Store.FinishAsync(takeover.Claim, nodes, ExecutionStatus.Succeeded, "{}", null, DateTimeOffset.UtcNow, 3, CancellationToken.None);

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
        var first = await Store.ClaimAsync(user.OwnerId, executionId, "worker-that-was-slow", WorkerHost.Lease, 5, CancellationToken.None);
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

        var finish = Store.FinishAsync(first.Claim!, nodes, ExecutionStatus.Succeeded, "{}", null, DateTimeOffset.UtcNow, 3, CancellationToken.None);
        // Its nodes (with the fence's lock) or its final update wait for the claim's row lock.
        await Poll.UntilAsync(async () => await WaitingForALockAsync(dataSource), "the finish to wait for the claim's row lock");
        await takeover.CommitAsync();
        var (stored, _) = await finish;

        Assert.That(stored, Is.False, "the lease was lost to the takeover");
        Assert.That(await user.NodesAsync(executionId), Is.Empty,
            "nodes committed after the takeover's claim would be missed by it and run again");
    }

    private static async Task<bool> WaitingForALockAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT EXISTS (SELECT FROM pg_stat_activity WHERE wait_event_type = 'Lock'
                           AND (query LIKE '%INSERT INTO node_executions%' OR query LIKE '%finished_at = $8%'))
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
