using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Core.Messages;
using GraphExec.Engine;
using GraphExec.Worker.Tests.Support;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.Worker.Tests;

public sealed class Resuming_after_a_takeover
{
    private const string Chain = """
        {
          "name": "Chain",
          "nodes": [
            { "id": "who",    "block": "input",    "config": { "name": "who" } },
            { "id": "first",  "block": "template", "config": { "template": "first saw {{who}}" } },
            { "id": "second", "block": "template", "config": { "template": "{{x}}, then second" } },
            { "id": "out",    "block": "output",   "config": { "name": "result" } }
          ],
          "edges": [
            { "from": "who.value",   "to": "first.who" },
            { "from": "first.text",  "to": "second.x" },
            { "from": "second.text", "to": "out.value" }
          ]
        }
        """;

    [Test]
    public async Task Should_not_run_the_nodes_completed_before_again()
    {
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Chain);
        var id = Guid.CreateVersion7();
        var crashedAt = DateTimeOffset.UtcNow.AddSeconds(-30);
        await WorkerHost.WithDatabaseAsync(db =>
        {
            // A worker claimed it, stored two nodes, and died: its lease has expired.
            db.Executions.Add(new Execution
            {
                OwnerId = user.OwnerId, Id = id, GraphId = graph, GraphVersion = 1, Inputs = """{ "who": "Ada" }""",
                Status = ExecutionStatus.Running, Attempt = 1, LeaseOwner = "dead-worker", LeaseExpiresAt = crashedAt,
                LastSequence = 5, QueuedAt = crashedAt, StartedAt = crashedAt,
            });
            db.NodeExecutions.Add(Node(user, id, "who", """{ "value": "Ada" }""", crashedAt));
            // Not what 'first' would compute now, so that running it again would show.
            db.NodeExecutions.Add(Node(user, id, "first", """{ "text": "stored before the crash" }""", crashedAt));
            return db.SaveChangesAsync();
        });

        await WorkerHost.Services.GetRequiredService<IBus>().Publish(new ExecuteGraph { OwnerId = user.OwnerId, ExecutionId = id });
        var execution = await user.WaitForEndAsync(id);

        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Succeeded));
        Assert.That(JsonNode.Parse(execution.Outputs!)!["result"]!.GetValue<string>(), Is.EqualTo("stored before the crash, then second"));
        Assert.That(execution.Attempt, Is.EqualTo(2));
        Assert.That(execution.StartedAt, Is.EqualTo(crashedAt).Within(TimeSpan.FromMilliseconds(1)), "the first start stays");
        Assert.That(execution.LastSequence, Is.EqualTo(5 + 6), "ExecutionStarted, second and out started and completed, ExecutionCompleted");

        var nodes = (await user.NodesAsync(id)).ToDictionary(n => n.NodeId);
        Assert.That(JsonNode.Parse(nodes["first"].Outputs!)!["text"]!.GetValue<string>(), Is.EqualTo("stored before the crash"));
        Assert.That(nodes["first"].FinishedAt, Is.EqualTo(crashedAt).Within(TimeSpan.FromMilliseconds(1)), "not written again");
        Assert.That(nodes["second"].Status, Is.EqualTo(NodeStatus.Succeeded));
        Assert.That(nodes["out"].Status, Is.EqualTo(NodeStatus.Succeeded));
    }

    private static NodeExecution Node(Scenario user, Guid executionId, string nodeId, string outputs, DateTimeOffset finishedAt) => new()
    {
        OwnerId = user.OwnerId,
        ExecutionId = executionId,
        NodeId = nodeId,
        Status = NodeStatus.Succeeded,
        Outputs = outputs,
        Attempts = 1,
        StartedAt = finishedAt.AddSeconds(-1),
        FinishedAt = finishedAt,
    };
}
