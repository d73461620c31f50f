using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Core.Data;
using GraphExec.Core.Values;
using GraphExec.Engine;
using GraphExec.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.Api.Tests;

/// <summary>
/// A retry is a new execution of the same version and inputs that names the execution it retries and carries a copy of
/// the nodes that had completed there, marked as reused, with their large values readable for as long as the retry is
/// kept. The Api's tests run no Worker: the failed runs are written as a Worker would have stored them, and the retries
/// stay Queued (the Worker's tests run them).
/// </summary>
public sealed class Retrying_from_the_failed_node
{
    private HttpClient _client = null!;
    private Guid _ownerId;

    [SetUp]
    public async Task SignUpAsync()
    {
        _client = await TestRun.Api.NewUserAsync();
        _ownerId = ApiUsers.OwnerId(_client.DefaultRequestHeaders.Authorization!.Parameter!);
    }

    [TearDown]
    public void DisposeClient() => _client.Dispose();

    [Test]
    public async Task Should_start_a_new_execution_of_the_same_version_and_inputs_that_names_the_one_it_retries()
    {
        var (graph, failed) = await FailAtGreetAsync();
        (await _client.PutAsync($"/api/graphs/{graph}", Graphs.Json(Graphs.Named("Greeting v2")))).EnsureSuccessStatusCode();

        using var response = await _client.PostAsync($"/api/executions/{failed}/retry", content: null);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        var retry = answer.GetProperty("executionId").GetGuid();
        var execution = await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{retry}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("Queued"));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/executions/{retry}"));
        Assert.That(retry, Is.Not.EqualTo(failed));
        Assert.That(execution.GetProperty("retryOf").GetGuid(), Is.EqualTo(failed));
        Assert.That(execution.GetProperty("graphId").GetGuid(), Is.EqualTo(graph));
        Assert.That(execution.GetProperty("graphVersion").GetInt32(), Is.EqualTo(1));
        Assert.That(execution.GetProperty("status").GetString(), Is.EqualTo("Queued"));
        Assert.That(execution.GetProperty("inputs").GetProperty("who").GetString(), Is.EqualTo("Ada"));
    }

    [Test]
    public async Task Should_copy_the_completed_nodes_marked_as_reused_and_leave_the_failed_one_to_run()
    {
        var (_, failed) = await FailAtGreetAsync();

        var retry = await RetryAsync(failed);
        var nodes = (await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{retry}")).GetProperty("nodes").EnumerateArray().ToList();

        Assert.That(nodes.Select(n => n.GetProperty("nodeId").GetString()), Is.EqualTo(new[] { "who" }), "only the completed node is copied");
        Assert.That(nodes[0].GetProperty("status").GetString(), Is.EqualTo("Succeeded"));
        Assert.That(nodes[0].GetProperty("reusedFrom").GetGuid(), Is.EqualTo(failed));
        Assert.That(nodes[0].GetProperty("outputs").GetProperty("value").GetString(), Is.EqualTo("Ada"));
    }

    [Test]
    public async Task Should_name_the_execution_that_ran_a_node_in_a_retry_of_a_retry()
    {
        var (_, failed) = await FailAtGreetAsync();
        var retry = await RetryAsync(failed);
        await EndAsync(retry, ExecutionStatus.Cancelled);

        var second = await RetryAsync(retry);
        var execution = await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{second}");
        var node = execution.GetProperty("nodes").EnumerateArray().Single();

        Assert.That(execution.GetProperty("retryOf").GetGuid(), Is.EqualTo(retry));
        Assert.That(node.GetProperty("nodeId").GetString(), Is.EqualTo("who"));
        Assert.That(node.GetProperty("reusedFrom").GetGuid(), Is.EqualTo(failed), "the execution that ran it, not the retry that reused it");
    }

    [TestCase(ExecutionStatus.Succeeded)]
    [TestCase(ExecutionStatus.Queued)]
    [TestCase(ExecutionStatus.Running)]
    public async Task Should_refuse_an_execution_that_did_not_fail_and_start_nothing(ExecutionStatus status)
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);
        var execution = await _client.StartExecutionAsync(graph, new { who = "Ada" });
        await EndAsync(execution, status);

        using var response = await _client.PostAsync($"/api/executions/{execution}/retry", content: null);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("execution_not_retriable"));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(status.ToString()));
        Assert.That(await CountExecutionsAsync(graph), Is.EqualTo(1));
    }

    [TestCase(ExecutionStatus.TimedOut)]
    [TestCase(ExecutionStatus.Cancelled)]
    public async Task Should_retry_a_timed_out_or_cancelled_execution(ExecutionStatus status)
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);
        var execution = await _client.StartExecutionAsync(graph, new { who = "Ada" });
        await EndAsync(execution, status);

        using var response = await _client.PostAsync($"/api/executions/{execution}/retry", content: null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [Test]
    public async Task Should_answer_404_for_another_users_execution_an_unknown_one_or_a_deleted_graph()
    {
        var (graph, failed) = await FailAtGreetAsync();
        using var stranger = await TestRun.Api.NewUserAsync();

        using var others = await stranger.PostAsync($"/api/executions/{failed}/retry", content: null);
        using var unknown = await _client.PostAsync($"/api/executions/{Guid.CreateVersion7()}/retry", content: null);
        var executionsBefore = await CountExecutionsAsync(graph);
        (await _client.DeleteAsync($"/api/graphs/{graph}")).EnsureSuccessStatusCode();
        using var deleted = await _client.PostAsync($"/api/executions/{failed}/retry", content: null);

        Assert.That(others.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(executionsBefore, Is.EqualTo(1), "another user's retry started nothing");
    }

    [Test]
    public async Task Should_keep_reused_large_values_readable_after_the_retried_executions_blobs_are_deleted()
    {
        var (_, failed) = await FailAtGreetAsync();
        var large = new string('x', 100 * 1024);
        await StoreLargeOutputAsync(failed, "who", large);

        var retry = await RetryAsync(failed);
        // What retention or the orphan collector does to the retried execution's blobs, long before the retry is gone.
        await TestRun.Api.Services.GetRequiredService<ExecutionBlobStore>().DeleteAsync([new ExecutionKey(_ownerId, failed)], CancellationToken.None);
        var node = (await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{retry}")).GetProperty("nodes").EnumerateArray().Single();
        var href = node.GetProperty("outputs").GetProperty("value").GetProperty("href").GetString();
        var value = await _client.GetFromJsonAsync<string>(href);

        Assert.That(href, Does.StartWith($"/api/executions/{retry}/values/"));
        Assert.That(value, Is.EqualTo(large));
    }

    /// <summary>
    /// A Greeting run with <c>who = Ada</c> stored as a Worker leaves a run that failed at <c>greet</c>: <c>who</c>
    /// succeeded, <c>greet</c> failed, <c>out</c> never ran.
    /// </summary>
    private async Task<(Guid Graph, Guid Execution)> FailAtGreetAsync()
    {
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);
        var execution = await _client.StartExecutionAsync(graph, new { who = "Ada" });
        var now = DateTimeOffset.UtcNow;
        await WithDatabaseAsync(async db =>
        {
            db.NodeExecutions.AddRange(
                Node(execution, "who", NodeStatus.Succeeded, outputs: """{"value":"Ada"}""", now),
                Node(execution, "greet", NodeStatus.Failed, outputs: null, now, error: """{"code":"node_failed","message":"greet failed","nodeId":"greet"}"""),
                Node(execution, "out", NodeStatus.Pending, outputs: null, now));
            await db.SaveChangesAsync();
        });
        await EndAsync(execution, ExecutionStatus.Failed);
        return (graph, execution);
    }

    private NodeExecution Node(Guid execution, string nodeId, NodeStatus status, string? outputs, DateTimeOffset now, string? error = null) => new()
    {
        OwnerId = _ownerId, ExecutionId = execution, NodeId = nodeId, Status = status, Outputs = outputs, Error = error,
        Attempts = status == NodeStatus.Pending ? 0 : 1,
        StartedAt = status == NodeStatus.Pending ? null : now,
        FinishedAt = status == NodeStatus.Pending ? null : now,
    };

    /// <summary>Replaces a node's output <c>value</c> with one kept in blob storage, as a Worker stores a large value.</summary>
    private async Task StoreLargeOutputAsync(Guid execution, string nodeId, string value)
    {
        var blobs = TestRun.Api.Services.GetRequiredService<ExecutionBlobStore>();
        var stored = await blobs.For(new ExecutionKey(_ownerId, execution))
            .StoreAsync([KeyValuePair.Create("value", (JsonNode?)JsonValue.Create(value))], CancellationToken.None);
        Assume.That(stored.HasBlobs, Is.True);
        await WithDatabaseAsync(async db =>
        {
            await db.NodeExecutions.Where(n => n.OwnerId == _ownerId && n.ExecutionId == execution && n.NodeId == nodeId)
                .ExecuteUpdateAsync(n => n.SetProperty(x => x.Outputs, stored.Json));
            await db.Executions.Where(e => e.OwnerId == _ownerId && e.Id == execution).ExecuteUpdateAsync(e => e.SetProperty(x => x.HasBlobs, true));
        });
    }

    private async Task<Guid> RetryAsync(Guid execution)
    {
        using var response = await _client.PostAsync($"/api/executions/{execution}/retry", content: null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetGuid();
    }

    /// <summary>Sets the execution's status as a Worker (or a cancel) would have left it.</summary>
    private Task EndAsync(Guid execution, ExecutionStatus status) => WithDatabaseAsync(db =>
        db.Executions.Where(e => e.OwnerId == _ownerId && e.Id == execution).ExecuteUpdateAsync(e => e.SetProperty(x => x.Status, status)));

    private static async Task WithDatabaseAsync(Func<GraphExecDbContext, Task> action)
    {
        await using var scope = TestRun.Api.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<GraphExecDbContext>());
    }

    private async Task<int> CountExecutionsAsync(Guid graph) =>
        (await _client.GetFromJsonAsync<JsonElement>($"/api/executions?graphId={graph}")).GetProperty("items").GetArrayLength();
}
