using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Engine;
using GraphExec.Worker.Features.Executions;
using GraphExec.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.Worker.Tests;

public sealed class Cancelling_an_execution
{
    [Test]
    public async Task Should_stop_a_running_execution_and_store_it_cancelled()
    {
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Delay(600_000));
        var id = await user.StartAsync(graph);
        // Written while the run goes on (every 100 ms here), so the delay has started once it is there.
        await Poll.UntilAsync(async () => (await user.NodesAsync(id)).Any(n => n.NodeId == "value"), "the input node to be written");

        var outcome = await CancelAsync(user, id);
        var execution = await user.WaitForEndAsync(id);

        Assert.That(outcome, Is.EqualTo(CancelOutcome.CancelRequested));
        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Cancelled));
        Assert.That(JsonNode.Parse(execution.Error!)!["code"]!.GetValue<string>(), Is.EqualTo(ExecutionError.Cancelled));
        var nodes = (await user.NodesAsync(id)).ToDictionary(n => n.NodeId, n => n.Status);
        Assert.That(nodes["wait"], Is.EqualTo(NodeStatus.Cancelled));
        Assert.That(nodes["out"], Is.EqualTo(NodeStatus.Pending));
    }

    [Test]
    public async Task Should_cancel_a_queued_execution_so_that_no_worker_starts_it()
    {
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Greeting);
        var id = await user.QueueUnpublishedAsync(graph);

        var outcome = await CancelAsync(user, id);
        var claim = await WorkerHost.Services.GetRequiredService<ExecutionStore>()
            .ClaimAsync(user.OwnerId, id, "another-worker", WorkerHost.Lease, 25);

        Assert.That(outcome, Is.EqualTo(CancelOutcome.Cancelled));
        Assert.That(claim.Outcome, Is.EqualTo(ClaimOutcome.Finished));
        var execution = await user.ExecutionAsync(id);
        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Cancelled));
        Assert.That(execution.StartedAt, Is.Null);
        Assert.That(await CancelAsync(user, id), Is.EqualTo(CancelOutcome.AlreadyFinished));
    }

    [Test]
    public async Task Should_not_find_another_users_execution()
    {
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Greeting);
        var id = await user.StartAsync(graph);
        var stranger = await Scenario.NewUserAsync();

        Assert.That(await CancelAsync(stranger, id), Is.EqualTo(CancelOutcome.NotFound));
    }

    private static Task<CancelOutcome> CancelAsync(Scenario user, Guid executionId) => user.CancelAsync(executionId);
}
