using GraphExec.Core.Messages;
using GraphExec.Engine;
using GraphExec.Worker.Features.Executions;
using GraphExec.Worker.Tests.Support;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.Worker.Tests;

public sealed class Handling_duplicate_messages
{
    [Test]
    public async Task Should_run_the_graph_once_however_often_the_message_arrives()
    {
        using var claims = new ClaimCounter();
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Delay(1_000));
        var publisher = WorkerHost.Services.GetRequiredService<IBus>();

        var id = await user.StartAsync(graph);
        var message = new ExecuteGraph { OwnerId = user.OwnerId, ExecutionId = id };
        for (var i = 0; i < 3; i++)
        {
            await publisher.Publish(message);
        }

        var first = await user.WaitForEndAsync(id);
        var nodesAfterRun = await user.NodesAsync(id);
        for (var i = 0; i < 2; i++)
        {
            await publisher.Publish(message);
        }

        await Poll.UntilAsync(() => claims.Total >= 6, "all six messages to be handled");
        var last = await user.ExecutionAsync(id);

        Assert.That(claims[ClaimOutcomes.Claimed], Is.EqualTo(1));
        Assert.That(first.Status, Is.EqualTo(ExecutionStatus.Succeeded));
        Assert.That(last.Attempt, Is.EqualTo(1));
        Assert.That(last.FinishedAt, Is.EqualTo(first.FinishedAt));
        Assert.That((await user.NodesAsync(id)).Select(n => n.FinishedAt), Is.EqualTo(nodesAfterRun.Select(n => n.FinishedAt)));
    }
}
