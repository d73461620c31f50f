using GraphExec.Core.Data;
using GraphExec.Engine;
using GraphExec.Worker.Tests.Support;

namespace GraphExec.Worker.Tests;

public sealed class Sharing_workers_fairly
{
    [Test]
    public async Task Should_cap_a_users_burst_without_making_others_wait_for_it()
    {
        var busy = await Scenario.NewUserAsync();
        var busyGraph = await busy.SaveGraphAsync(Graphs.Delay(1_500));
        var other = await Scenario.NewUserAsync();
        var otherGraph = await other.SaveGraphAsync(Graphs.Delay(1_500));

        var burst = new List<Guid>();
        for (var i = 0; i < 3 * WorkerHost.MaxRunningPerOwner; i++)
        {
            burst.Add(await busy.StartAsync(busyGraph));
        }

        var latecomer = await other.StartAsync(otherGraph);

        var ended = new List<Execution>();
        foreach (var id in burst)
        {
            ended.Add(await busy.WaitForEndAsync(id));
        }

        var otherExecution = await other.WaitForEndAsync(latecomer);

        Assert.That(ended.Select(e => e.Status), Has.All.EqualTo(ExecutionStatus.Succeeded));
        Assert.That(ended.Select(e => e.ParkedAt), Has.All.Null);
        Assert.That(MostAtOnce(ended), Is.LessThanOrEqualTo(WorkerHost.MaxRunningPerOwner));
        Assert.That(otherExecution.Status, Is.EqualTo(ExecutionStatus.Succeeded));
        Assert.That(otherExecution.FinishedAt, Is.LessThan(ended.Max(e => e.StartedAt!.Value)),
            "the other user's run did not queue behind the burst");
    }

    [Test]
    public async Task Should_run_another_users_graph_while_more_users_than_slots_wait_at_their_cap_for_an_hour()
    {
        // As many accounts as it takes to fill every slot with hour-long delays, each account at its cap.
        var waiting = new List<(Scenario User, Guid Id)>();
        for (var u = 0; u <= WorkerHost.ConcurrentExecutions / WorkerHost.MaxRunningPerOwner; u++)
        {
            var user = await Scenario.NewUserAsync();
            var graph = await user.SaveGraphAsync(Graphs.Delay(3_600_000));
            for (var i = 0; i < WorkerHost.MaxRunningPerOwner; i++)
            {
                waiting.Add((user, await user.StartAsync(graph)));
            }
        }

        var other = await Scenario.NewUserAsync();
        var greeting = await other.StartAsync(await other.SaveGraphAsync(Graphs.Greeting), """{ "who": "Ada" }""");
        var execution = await other.WaitForEndAsync(greeting);
        var meanwhile = new List<Execution>();
        foreach (var (user, id) in waiting)
        {
            meanwhile.Add(await user.ExecutionAsync(id));
            await user.CancelAsync(id);
        }

        var cancelled = new List<Execution>();
        foreach (var (user, id) in waiting)
        {
            cancelled.Add(await user.WaitForEndAsync(id));
        }

        Assert.That(waiting, Has.Count.GreaterThan(WorkerHost.ConcurrentExecutions));
        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Succeeded));
        Assert.That(meanwhile.Select(e => e.Status), Has.All.EqualTo(ExecutionStatus.Running), "every delay was still waiting");
        Assert.That(cancelled.Select(e => e.Status), Has.All.EqualTo(ExecutionStatus.Cancelled), "a run without its slot can still be cancelled");
    }

    /// <summary>The most executions whose [started, finished] intervals overlap.</summary>
    private static int MostAtOnce(IEnumerable<Execution> executions) =>
        executions
            .SelectMany(e => new[] { (Time: e.StartedAt!.Value, Change: 1), (Time: e.FinishedAt!.Value, Change: -1) })
            .OrderBy(point => point.Time).ThenBy(point => point.Change)
            .Aggregate((Now: 0, Most: 0), (state, point) => (state.Now + point.Change, Math.Max(state.Most, state.Now + point.Change)))
            .Most;
}
