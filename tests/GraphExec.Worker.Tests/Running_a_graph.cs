using System.Diagnostics;
using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Engine;
using GraphExec.Worker.Tests.Support;

namespace GraphExec.Worker.Tests;

public sealed class Running_a_graph
{
    [Test]
    public async Task Should_succeed_with_the_greeting_and_store_every_node()
    {
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Greeting);

        var id = await user.StartAsync(graph, """{ "who": "Ada" }""");
        var execution = await user.WaitForEndAsync(id);

        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Succeeded));
        Assert.That(JsonNode.Parse(execution.Outputs!)!["greeting"]!.GetValue<string>(), Is.EqualTo("Hello, Ada!"));
        Assert.That(execution.Attempt, Is.EqualTo(1));
        Assert.That(execution.LeaseOwner, Is.Null);
        Assert.That(execution.StartedAt, Is.Not.Null);
        Assert.That(execution.FinishedAt, Is.Not.Null);
        Assert.That(execution.LastSequence, Is.EqualTo(8), "ExecutionStarted, 3 × (NodeStarted, NodeCompleted), ExecutionCompleted");

        var nodes = await user.NodesAsync(id);
        Assert.That(nodes.Select(n => n.NodeId), Is.EqualTo(new[] { "greet", "out", "who" }));
        Assert.That(nodes.Select(n => n.Status), Has.All.EqualTo(NodeStatus.Succeeded));
        var greet = nodes.Single(n => n.NodeId == "greet");
        Assert.That(JsonNode.Parse(greet.Inputs!)!["who"]!.GetValue<string>(), Is.EqualTo("Ada"));
        Assert.That(JsonNode.Parse(greet.Outputs!)!["text"]!.GetValue<string>(), Is.EqualTo("Hello, Ada!"));
        Assert.That(greet.Attempts, Is.EqualTo(1));
    }

    [Test]
    public async Task Should_end_failed_with_the_error_of_the_failing_node()
    {
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Failing);

        var id = await user.StartAsync(graph, """{ "order": { "id": 42 } }""");
        var execution = await user.WaitForEndAsync(id);

        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Failed));
        var error = JsonNode.Parse(execution.Error!)!;
        Assert.That(error["code"]!.GetValue<string>(), Is.EqualTo(ExecutionError.BlockFailed));
        Assert.That(error["nodeId"]!.GetValue<string>(), Is.EqualTo("stop"));
        Assert.That(error["message"]!.GetValue<string>(), Is.EqualTo("Order 42 has no items."));

        var stop = (await user.NodesAsync(id)).Single(n => n.NodeId == "stop");
        Assert.That(stop.Status, Is.EqualTo(NodeStatus.Failed));
        Assert.That(JsonNode.Parse(stop.Error!)!["message"]!.GetValue<string>(), Is.EqualTo("Order 42 has no items."));
        Assert.That(execution.Attempt, Is.EqualTo(1), "a failing graph is stored, not retried");
    }

    [Test]
    public async Task Should_store_the_branch_not_taken_as_skipped()
    {
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Branching);

        var id = await user.StartAsync(graph, """{ "order": { "total": 5000, "customer": "Ada" } }""");
        var execution = await user.WaitForEndAsync(id);

        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Succeeded));
        Assert.That(JsonNode.Parse(execution.Outputs!)!["todo"]!.GetValue<string>(), Is.EqualTo("Call Ada"));
        var nodes = (await user.NodesAsync(id)).ToDictionary(n => n.NodeId, n => n.Status);
        Assert.That(nodes["usual"], Is.EqualTo(NodeStatus.Skipped));
        Assert.That(nodes["vip"], Is.EqualTo(NodeStatus.Succeeded));
        Assert.That(nodes, Has.Count.EqualTo(6));
    }

    [Test]
    public async Task Should_run_the_owners_saved_graphs_as_subgraph_and_foreach()
    {
        var user = await Scenario.NewUserAsync();
        var child = await user.SaveGraphAsync(Graphs.Greeting);
        var graph = await user.SaveGraphAsync(Graphs.Calling(child));

        var id = await user.StartAsync(graph, """{ "who": "Ada", "names": ["Grace", "Edsger"] }""");
        var execution = await user.WaitForEndAsync(id);

        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Succeeded), execution.Error);
        var outputs = JsonNode.Parse(execution.Outputs!)!;
        Assert.That(outputs["greeting"]!.GetValue<string>(), Is.EqualTo("Hello, Ada!"));
        Assert.That(outputs["all"]!.AsArray().Select(r => r!["greeting"]!.GetValue<string>()), Is.EqualTo(new[] { "Hello, Grace!", "Hello, Edsger!" }));
    }

    [Test]
    public async Task Should_not_reach_another_users_graph()
    {
        var other = await Scenario.NewUserAsync();
        var foreign = await other.SaveGraphAsync(Graphs.Greeting);
        var user = await Scenario.NewUserAsync();
        var graph = await user.SaveGraphAsync(Graphs.Calling(foreign));

        var id = await user.StartAsync(graph, """{ "who": "Ada", "names": [] }""");
        var execution = await user.WaitForEndAsync(id);

        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Failed));
        Assert.That(JsonNode.Parse(execution.Error!)!["message"]!.GetValue<string>(), Does.StartWith("There is no graph"));
    }

    [Test]
    public async Task Should_fail_a_graph_whose_foreach_runs_itself_at_its_budget_and_run_the_next_one()
    {
        var user = await Scenario.NewUserAsync();
        var fanout = Guid.CreateVersion7();
        await user.SaveGraphAsync(fanout, Graphs.Fanout(fanout));

        var (execution, next) = await RunHostileThenGreetingAsync(user, fanout, "the self-running foreach");

        Assert.That(ErrorOf(execution, "code"), Is.EqualTo(ExecutionError.BudgetExceeded));
        Assert.That(execution.Attempt, Is.EqualTo(1), "a run over its budget is a final outcome, not retried");
        Assert.That(next.Status, Is.EqualTo(ExecutionStatus.Succeeded));
    }

    [Test]
    public async Task Should_fail_a_template_that_amplifies_a_large_value_at_the_value_limit_and_run_the_next_one()
    {
        var user = await Scenario.NewUserAsync();
        var amplifying = await user.SaveGraphAsync(Graphs.Amplifying);

        var (execution, next) = await RunHostileThenGreetingAsync(user, amplifying, "the amplifying template");

        Assert.That(ErrorOf(execution, "code"), Is.EqualTo(ExecutionError.ValueTooLarge));
        Assert.That(ErrorOf(execution, "nodeId"), Is.EqualTo("tpl"));
        Assert.That(next.Status, Is.EqualTo(ExecutionStatus.Succeeded));
    }

    /// <summary>
    /// Runs <paramref name="hostile"/> to its end, which must be Failed with the whole test process (the Worker in it)
    /// under 1 GB, then the owner's greeting.
    /// </summary>
    private static async Task<(Execution Hostile, Execution Next)> RunHostileThenGreetingAsync(Scenario user, Guid hostile, string what)
    {
        var greeting = await user.SaveGraphAsync(Graphs.Greeting);
        var execution = await user.WaitForEndAsync(await user.StartAsync(hostile));
        var workingSet = Process.GetCurrentProcess().WorkingSet64;
        var next = await user.WaitForEndAsync(await user.StartAsync(greeting, """{ "who": "Ada" }"""));

        TestContext.Progress.WriteLine(
            $"{what}: {execution.Status} after {(execution.FinishedAt - execution.StartedAt)!.Value.TotalMilliseconds:0} ms, working set {workingSet / 1024 / 1024} MiB");
        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Failed));
        Assert.That(workingSet, Is.LessThan(1024L * 1024 * 1024));
        return (execution, next);
    }

    private static string ErrorOf(Execution execution, string property) => JsonNode.Parse(execution.Error!)![property]!.GetValue<string>();
}
