using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Core.Messages;
using GraphExec.Engine;
using GraphExec.Worker.Tests.Support;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.Worker.Tests;

public sealed class Failing_on_a_fault
{
    [Test]
    public async Task Should_move_the_message_to_the_error_queue_and_mark_the_execution_failed_with_the_reason()
    {
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Greeting);
        // Inputs no trigger could store (not an object): the worker fails on them, a fault that no retry mends.
        var id = await user.QueueUnpublishedAsync(graph, inputs: "[1]");

        await WorkerHost.Services.GetRequiredService<IBus>().Publish(new ExecuteGraph { OwnerId = user.OwnerId, ExecutionId = id });
        var execution = await user.WaitForEndAsync(id);

        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Failed));
        var error = JsonNode.Parse(execution.Error!)!;
        Assert.That(error["code"]!.GetValue<string>(), Is.EqualTo(ExecutionError.WorkerFailed));
        Assert.That(error["message"]!.GetValue<string>(), Does.Contain("InvalidOperationException"));
        Assert.That(execution.LeaseOwner, Is.Null);

        // The fault is published as the message moves to the error queue; either may come first.
        await Poll.UntilAsync(async () => (await ErrorQueueMessagesAsync()).Any(body => body.Contains(id.ToString(), StringComparison.Ordinal)),
            "the message to be in execute-graph_error");
        Assert.That(await ErrorQueueTypeAsync(), Is.EqualTo("quorum"), "MassTransit declares the error queue like its endpoint's queue");
    }

    private static async Task<string> ErrorQueueTypeAsync()
    {
        var isolated = RealServersSetUp.Isolated;
        using var management = RabbitManagement.CreateClient(isolated.Connections.BrokerManagement);
        var queue = await management.GetFromJsonAsync<JsonNode>($"api/queues/{Uri.EscapeDataString(isolated.Name)}/execute-graph_error");
        return queue!["type"]!.GetValue<string>();
    }

    /// <summary>The bodies of the messages in <c>execute-graph_error</c>, read and put back through the management API.</summary>
    private static async Task<List<string>> ErrorQueueMessagesAsync()
    {
        var isolated = RealServersSetUp.Isolated;
        using var management = RabbitManagement.CreateClient(isolated.Connections.BrokerManagement);
        using var response = await management.PostAsJsonAsync(
            $"api/queues/{Uri.EscapeDataString(isolated.Name)}/execute-graph_error/get",
            new { count = 100, ackmode = "ack_requeue_true", encoding = "auto" });
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // MassTransit declares the error queue when it moves the first message there, which may not have happened yet.
            return [];
        }

        response.EnsureSuccessStatusCode();
        var messages = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        return [.. messages.Select(m => m!["payload"]!.GetValue<string>())];
    }
}
