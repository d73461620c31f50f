using System.Collections.Concurrent;
using GraphExec.Core.Executions;
using GraphExec.Engine;
using GraphExec.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

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
        const int workers = 12;
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Greeting);
        var ids = await user.QueueUnpublishedAsync(graph, 150);

        // The messages to consume: first every execution, then each one a finish wakes. A parked one is dropped.
        var messages = new ConcurrentQueue<Guid>(ids);
        var atOnce = 0;
        var mostAtOnce = 0;
        using var stop = new CancellationTokenSource();

        async Task ConsumeAsync(string instance)
        {
            while (!stop.IsCancellationRequested)
            {
                if (!messages.TryDequeue(out var id))
                {
                    await Task.Delay(5);
                    continue;
                }

                var result = await ClaimAsync(user, id, instance, cap);
                if (result.Outcome != ClaimOutcome.Claimed)
                {
                    continue;
                }

                // Between the claim's commit and the finish's: a lower bound of what the database has running.
                var now = Interlocked.Increment(ref atOnce);
                InterlockedMax(ref mostAtOnce, now);
                await Task.Yield();
                Interlocked.Decrement(ref atOnce);
                foreach (var woken in await FinishAsync(result.Claim!))
                {
                    messages.Enqueue(woken);
                }
            }
        }

        var consumers = Enumerable.Range(0, workers).Select(i => Task.Run(() => ConsumeAsync($"worker-{i}"))).ToList();
        try
        {
            await Poll.UntilAsync(
                user.ExecutionsAsync,
                all => all.All(e => e.Status == ExecutionStatus.Succeeded),
                "every execution to be claimed and finished",
                describe: all => $"{all.Count(e => e.ParkedAt is not null)} parked, " +
                                 $"{all.Count(e => e.Status == ExecutionStatus.Running)} running, {messages.Count} messages waiting");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(consumers);
        }

        var executions = await user.ExecutionsAsync();
        Assert.That(executions.Select(e => e.ParkedAt), Has.All.Null);
        Assert.That(mostAtOnce, Is.LessThanOrEqualTo(cap));
        Assert.That(await user.RunningSlotsAsync(), Is.EqualTo(0));
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

        var (lateStored, _) = await Store.FinishAsync(
            first.Claim!, [], ExecutionStatus.Succeeded, "{}", null, DateTimeOffset.UtcNow, 0, CancellationToken.None);
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

        var (cancelled, status, woken) = await Store.CancelUnclaimedAsync(user.OwnerId, stopped, GivenUp, DateTimeOffset.UtcNow, CancellationToken.None);

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
        Store.ClaimAsync(user.OwnerId, executionId, instance, lease ?? WorkerHost.Lease, cap, CancellationToken.None);

    /// <returns>The executions the finish woke.</returns>
    private static async Task<IReadOnlyList<Guid>> FinishAsync(Claim claim)
    {
        var (stored, woken) = await Store.FinishAsync(
            claim, [], ExecutionStatus.Succeeded, "{}", null, DateTimeOffset.UtcNow, 0, CancellationToken.None);
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
