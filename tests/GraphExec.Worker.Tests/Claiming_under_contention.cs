using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using GraphExec.Core.Executions;
using GraphExec.Engine;
using GraphExec.Testing;
using GraphExec.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GraphExec.Worker.Tests;

/// <summary>
/// The per-user cap as <see cref="ExecutionStore"/> keeps it, driven directly against the database: executions are
/// queued without publishing them, so the hosted Worker never sees them and each claim and finish here is the only one.
/// </summary>
public sealed class Claiming_under_contention
{
    private static readonly ExecutionError GivenUp = new(ExecutionError.Stalled, "Given up by the test.");

    private static ExecutionStore Store => WorkerHost.Services.GetRequiredService<ExecutionStore>();

    [Test]
    public async Task Should_claim_exactly_the_cap_out_of_a_hundred_concurrent_claims_and_wake_the_rest_one_finish_at_a_time()
    {
        const int cap = 10;
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Greeting);
        var ids = await user.QueueUnpublishedAsync(graph, 100);

        var results = await Task.WhenAll(ids.Select((id, i) => Task.Run(() => ClaimAsync(user, id, $"claimer-{i}", cap))));

        var claims = results.Where(r => r.Outcome == ClaimOutcome.Claimed).Select(r => r.Claim!).ToList();
        Assert.That(claims, Has.Count.EqualTo(cap));
        Assert.That(results.Count(r => r.Outcome == ClaimOutcome.Parked), Is.EqualTo(ids.Count - cap));
        Assert.That(await user.RunningSlotsAsync(), Is.EqualTo(cap));

        // One finish at a time: each wakes the oldest parked execution, whose claim takes the slot it gave back.
        var running = new Queue<Claim>(claims);
        var mostRunning = 0;
        while (running.TryDequeue(out var claim))
        {
            foreach (var woken in await FinishAsync(claim))
            {
                var again = await ClaimAsync(user, woken, "woken", cap);
                Assert.That(again.Outcome, Is.EqualTo(ClaimOutcome.Claimed), $"woken execution {woken}");
                running.Enqueue(again.Claim!);
            }

            mostRunning = Math.Max(mostRunning, (await user.ExecutionsAsync()).Count(e => e.Status == ExecutionStatus.Running));
        }

        var executions = await user.ExecutionsAsync();
        Assert.That(executions.Select(e => e.Status), Has.All.EqualTo(ExecutionStatus.Succeeded));
        Assert.That(executions.Select(e => e.ParkedAt), Has.All.Null);
        Assert.That(mostRunning, Is.LessThanOrEqualTo(cap));
        Assert.That(await user.RunningSlotsAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Should_wake_every_parked_execution_when_finishes_race_claims()
    {
        const int cap = 3;
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Greeting);
        var ids = await user.QueueUnpublishedAsync(graph, 150);

        var mostAtOnce = await ConsumeUntilAllSucceededAsync([Store], [(user, ids)], cap, consumersPerStore: 12);

        Assert.That(mostAtOnce[user.OwnerId], Is.LessThanOrEqualTo(cap));
    }

    /// <summary>
    /// Several workers (each with its own store, so its own batches of claims and finishes) and several owners: every
    /// batch claims for many owners at once and races the others' batches and finishes.
    /// </summary>
    [Test]
    public async Task Should_hold_each_owners_cap_exactly_when_batched_claims_and_finishes_of_several_workers_race()
    {
        const int cap = 5;
        const int perOwner = 60;
        var dataSource = WorkerHost.Services.GetRequiredService<NpgsqlDataSource>();
        ExecutionStore[] workers = [.. Enumerable.Range(0, 4).Select(_ => new ExecutionStore(dataSource, new QueuedCounts()))];
        var owners = new List<(Scenario User, List<Guid> Ids)>();
        for (var i = 0; i < 3; i++)
        {
            var user = await Scenario.NewUserAsync();
            owners.Add((user, await user.QueueUnpublishedAsync(await user.SaveGraphAsync(Graphs.Greeting), perOwner)));
        }

        // Every execution claimed at once, spread over the workers, so that each batch holds several owners' claims.
        var all = owners.SelectMany(o => o.Ids.Select(id => (o.User, Id: id))).ToList();
        var results = await Task.WhenAll(all.Select((e, i) =>
            Task.Run(() => workers[i % workers.Length].ClaimAsync(e.User.OwnerId, e.Id, $"worker-{i % workers.Length}", WorkerHost.Lease, cap))));

        foreach (var (user, ids) in owners)
        {
            var outcomes = results.Where((_, i) => all[i].User == user).Select(r => r.Outcome).ToList();
            Assert.That(outcomes.Count(o => o == ClaimOutcome.Claimed), Is.EqualTo(cap), $"claimed for {user.OwnerId}");
            Assert.That(outcomes.Count(o => o == ClaimOutcome.Parked), Is.EqualTo(perOwner - cap), $"parked for {user.OwnerId}");
            Assert.That(await user.RunningSlotsAsync(), Is.EqualTo(cap));
        }

        // Then the claimed ones finish and wake the parked ones, while the workers go on claiming: the parked messages were
        // dropped, so only the wake-ups bring them back.
        var woken = owners.ToDictionary(o => o.User.OwnerId, o => (o.User, Ids: new List<Guid>()));
        foreach (var (claim, i) in results.Select((r, i) => (r.Claim, i)).Where(c => c.Claim is not null))
        {
            var (stored, wokenByIt, _) = await workers[i % workers.Length].FinishAsync(claim!, [], ExecutionStatus.Succeeded, "{}", null, DateTimeOffset.UtcNow, 0);
            Assert.That(stored, Is.True);
            Assert.That(wokenByIt, Has.Count.EqualTo(1));
            woken[claim!.OwnerId].Ids.AddRange(wokenByIt);
        }

        var mostAtOnce = await ConsumeUntilAllSucceededAsync(workers, [.. woken.Values], cap, consumersPerStore: 8);

        Assert.That(mostAtOnce.Values, Has.All.LessThanOrEqualTo(cap));
    }

    /// <summary>
    /// Consumes the executions as Workers would, on each store at once: claims each message, finishes what it claimed and
    /// queues what the finish woke; a parked execution's message is dropped. Waits until every execution of the owners
    /// succeeded, with nothing parked and every slot given back.
    /// </summary>
    /// <returns>For each owner, the most of its executions seen between claim and finish at once (a lower bound of what the database had running).</returns>
    private static async Task<Dictionary<Guid, int>> ConsumeUntilAllSucceededAsync(
        IReadOnlyList<ExecutionStore> stores, IReadOnlyList<(Scenario User, List<Guid> Ids)> owners, int cap, int consumersPerStore)
    {
        var messages = new ConcurrentQueue<(Guid OwnerId, Guid Id)>(owners.SelectMany(o => o.Ids.Select(id => (o.User.OwnerId, id))));
        var atOnce = owners.ToDictionary(o => o.User.OwnerId, _ => new StrongBox<int>());
        var mostAtOnce = owners.ToDictionary(o => o.User.OwnerId, _ => new StrongBox<int>());
        using var stop = new CancellationTokenSource();

        async Task ConsumeAsync(ExecutionStore store, string instance)
        {
            while (!stop.IsCancellationRequested)
            {
                if (!messages.TryDequeue(out var message))
                {
                    await Task.Delay(5);
                    continue;
                }

                var result = await store.ClaimAsync(message.OwnerId, message.Id, instance, WorkerHost.Lease, cap);
                if (result.Outcome != ClaimOutcome.Claimed)
                {
                    continue;
                }

                var now = Interlocked.Increment(ref atOnce[message.OwnerId].Value);
                InterlockedMax(ref mostAtOnce[message.OwnerId].Value, now);
                await Task.Yield();
                Interlocked.Decrement(ref atOnce[message.OwnerId].Value);
                var (stored, woken, _) = await store.FinishAsync(result.Claim!, [], ExecutionStatus.Succeeded, "{}", null, DateTimeOffset.UtcNow, 0);
                Assert.That(stored, Is.True, $"the finish of execution {message.Id} was stored");
                foreach (var id in woken)
                {
                    messages.Enqueue((message.OwnerId, id));
                }
            }
        }

        var consumers = stores.SelectMany((store, s) => Enumerable.Range(0, consumersPerStore)
            .Select(i => Task.Run(() => ConsumeAsync(store, $"worker-{s}-{i}")))).ToList();
        try
        {
            foreach (var (user, _) in owners)
            {
                await Poll.UntilAsync(
                    user.ExecutionsAsync,
                    all => all.All(e => e.Status == ExecutionStatus.Succeeded),
                    $"every execution of {user.OwnerId} to be claimed and finished",
                    describe: all => $"{all.Count(e => e.ParkedAt is not null)} parked, " +
                                     $"{all.Count(e => e.Status == ExecutionStatus.Running)} running, {messages.Count} messages waiting");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(consumers);
        }

        foreach (var (user, _) in owners)
        {
            Assert.That((await user.ExecutionsAsync()).Select(e => e.ParkedAt), Has.All.Null);
            Assert.That(await user.RunningSlotsAsync(), Is.EqualTo(0));
        }

        return mostAtOnce.ToDictionary(m => m.Key, m => m.Value.Value);
    }

    [Test]
    public async Task Should_keep_the_slot_when_another_worker_takes_over_an_expired_lease()
    {
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Greeting);
        var id = await user.QueueUnpublishedAsync(graph);

        // A lease of zero: its worker is as good as gone the moment it claimed.
        var first = await ClaimAsync(user, id, "worker-that-stopped", cap: 1, TimeSpan.Zero);
        var takeover = await ClaimAsync(user, id, "worker-that-took-over", cap: 1);

        Assert.That(first.Outcome, Is.EqualTo(ClaimOutcome.Claimed));
        Assert.That(takeover.Outcome, Is.EqualTo(ClaimOutcome.Claimed), "a takeover at the cap runs on the slot it holds");
        Assert.That(takeover.Claim!.Takeover, Is.True);
        Assert.That(takeover.Claim.Attempt, Is.EqualTo(2));
        Assert.That(await user.RunningSlotsAsync(), Is.EqualTo(1));

        var (lateStored, _, _) = await Store.FinishAsync(
            first.Claim!, [], ExecutionStatus.Succeeded, "{}", null, DateTimeOffset.UtcNow, 0);
        Assert.That(lateStored, Is.False);
        Assert.That(await user.RunningSlotsAsync(), Is.EqualTo(1), "a finish that lost its lease gives nothing back");

        await FinishAsync(takeover.Claim);
        Assert.That(await user.RunningSlotsAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Should_give_the_slot_back_and_wake_a_parked_execution_when_a_stopped_run_is_cancelled()
    {
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Greeting);
        var ids = await user.QueueUnpublishedAsync(graph, 3);
        var (stopped, parked, queued) = (ids[0], ids[1], ids[2]);

        Assert.That((await ClaimAsync(user, stopped, "worker-that-stopped", cap: 1, TimeSpan.Zero)).Outcome, Is.EqualTo(ClaimOutcome.Claimed));
        Assert.That((await ClaimAsync(user, parked, "worker", cap: 1)).Outcome, Is.EqualTo(ClaimOutcome.Parked));

        var (cancelled, status, woken, _) = await Store.CancelUnclaimedAsync(user.OwnerId, stopped, GivenUp, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.That(cancelled, Is.True);
        Assert.That(status, Is.EqualTo(ExecutionStatus.Cancelled));
        Assert.That(woken, Is.EqualTo(new[] { parked }));
        Assert.That(await user.RunningSlotsAsync(), Is.EqualTo(0));
        Assert.That((await user.ExecutionAsync(parked)).ParkedAt, Is.Null);

        // The woken one takes the slot; cancelling a Queued one (parked behind it) changes no counter and wakes nobody.
        Assert.That((await ClaimAsync(user, parked, "worker", cap: 1)).Outcome, Is.EqualTo(ClaimOutcome.Claimed));
        Assert.That((await ClaimAsync(user, queued, "worker", cap: 1)).Outcome, Is.EqualTo(ClaimOutcome.Parked));
        var queuedCancel = await Store.CancelUnclaimedAsync(user.OwnerId, queued, GivenUp, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.That(queuedCancel.Cancelled, Is.True);
        Assert.That(queuedCancel.Woken, Is.Empty);
        Assert.That(await user.RunningSlotsAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_give_the_slot_back_and_wake_a_parked_execution_when_the_sweeper_gives_a_stopped_run_up()
    {
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Greeting);
        var ids = await user.QueueUnpublishedAsync(graph, 2);
        var (stopped, parked) = (ids[0], ids[1]);
        Assert.That((await ClaimAsync(user, stopped, "worker-that-stopped", cap: 1, TimeSpan.Zero)).Outcome, Is.EqualTo(ClaimOutcome.Claimed));
        Assert.That((await ClaimAsync(user, parked, "worker", cap: 1)).Outcome, Is.EqualTo(ClaimOutcome.Parked));

        // Other tests' stalled executions are only marked swept here (nothing publishes them); this one is given up.
        var now = DateTimeOffset.UtcNow;
        var swept = await Store.SweepAsync(
            now.AddMinutes(1), 100_000, stalled => stalled.Id == stopped ? GivenUp : null, now, CancellationToken.None);

        Assert.That(swept.Failed.Select(f => f.Execution.Id), Is.EqualTo(new[] { stopped }));
        Assert.That(swept.Woken, Is.EqualTo(new[] { (user.OwnerId, parked) }));
        Assert.That((await user.ExecutionAsync(stopped)).Status, Is.EqualTo(ExecutionStatus.Failed));
        Assert.That(await user.RunningSlotsAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Should_have_the_sweeper_publish_a_parked_execution_again_once_its_owner_runs_nothing()
    {
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Greeting);
        var ids = await user.QueueUnpublishedAsync(graph, 3);
        var claim = await ClaimAsync(user, ids[0], "worker", cap: 1);
        Assert.That((await ClaimAsync(user, ids[1], "worker", cap: 1)).Outcome, Is.EqualTo(ClaimOutcome.Parked));
        Assert.That((await ClaimAsync(user, ids[2], "worker", cap: 1)).Outcome, Is.EqualTo(ClaimOutcome.Parked));

        // The finish wakes one parked execution, which is cancelled before any worker claims it: no end will wake the other.
        var woken = (await FinishAsync(claim.Claim!)).Single();
        var parked = woken == ids[1] ? ids[2] : ids[1];
        Assert.That((await Store.CancelUnclaimedAsync(user.OwnerId, woken, GivenUp, DateTimeOffset.UtcNow, CancellationToken.None)).Woken, Is.Empty);

        var now = DateTimeOffset.UtcNow;
        var swept = await Store.SweepAsync(now.AddMinutes(1), 100_000, _ => null, now, CancellationToken.None);

        Assert.That(swept.Republish.Select(r => r.Id), Does.Contain(parked));
        Assert.That((await ClaimAsync(user, parked, "worker", cap: 1)).Outcome, Is.EqualTo(ClaimOutcome.Claimed));
    }

    private static Task<ClaimResult> ClaimAsync(Scenario user, Guid executionId, string instance, int cap, TimeSpan? lease = null) =>
        Store.ClaimAsync(user.OwnerId, executionId, instance, lease ?? WorkerHost.Lease, cap);

    /// <returns>The executions the finish woke.</returns>
    private static async Task<IReadOnlyList<Guid>> FinishAsync(Claim claim)
    {
        var (stored, woken, _) = await Store.FinishAsync(
            claim, [], ExecutionStatus.Succeeded, "{}", null, DateTimeOffset.UtcNow, 0);
        Assert.That(stored, Is.True, $"the finish of execution {claim.ExecutionId} was stored");
        return woken;
    }

    private static void InterlockedMax(ref int location, int value)
    {
        var seen = Volatile.Read(ref location);
        while (value > seen)
        {
            var before = Interlocked.CompareExchange(ref location, value, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }
}
