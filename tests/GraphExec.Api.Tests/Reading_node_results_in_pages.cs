using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GraphExec.Core.Data;
using GraphExec.Engine;
using GraphExec.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.Api.Tests;

/// <summary>
/// An execution's node results come a page at a time, by node id: the execution carries the first page and the cursor
/// of the next, <c>/api/executions/{id}/nodes</c> the rest, so that reading a run of thousands of nodes stays bounded.
/// </summary>
public sealed class Reading_node_results_in_pages
{
    private HttpClient _client = null!;
    private Guid _execution;

    [SetUp]
    public async Task StartAnExecutionAsync()
    {
        _client = await TestRun.Api.NewUserAsync();
        _execution = await _client.StartExecutionAsync(await _client.SaveGraphAsync(Graphs.Greeting), new { who = "Ada" });
    }

    [TearDown]
    public void DisposeClient() => _client.Dispose();

    [Test]
    public async Task Should_page_through_node_results_by_node_id()
    {
        await StoreNodesAsync("g", "c", "a", "e", "b", "f", "d");

        var pages = new List<string[]>();
        string? cursor = null;
        do
        {
            var page = await _client.GetFromJsonAsync<JsonElement>(
                $"/api/executions/{_execution}/nodes?limit=3{(cursor is null ? "" : "&cursor=" + cursor)}");
            pages.Add([.. page.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("nodeId").GetString()!)]);
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.That(pages, Is.EqualTo(new[] { new[] { "a", "b", "c" }, ["d", "e", "f"], ["g"] }));
    }

    [Test]
    public async Task Should_answer_the_first_page_with_the_execution_and_the_cursor_of_the_rest()
    {
        var stored = Enumerable.Range(0, 150).Select(i => $"node-{i:D3}").ToArray();
        await StoreNodesAsync(stored);

        var execution = await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{_execution}");
        var first = execution.GetProperty("nodes").EnumerateArray().Select(NodeId).ToList();
        var rest = await _client.GetFromJsonAsync<JsonElement>(
            $"/api/executions/{_execution}/nodes?cursor={execution.GetProperty("nodesNextCursor").GetString()}");

        Assert.That(first, Is.EqualTo(stored.Take(100)), "the first 100 by node id");
        Assert.That(rest.GetProperty("items").EnumerateArray().Select(NodeId), Is.EqualTo(stored.Skip(100)));
        Assert.That(rest.GetProperty("nextCursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Should_say_there_is_no_next_page_when_the_execution_holds_every_node()
    {
        await StoreNodesAsync("who", "greet", "out");

        var execution = await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{_execution}");

        Assert.That(execution.GetProperty("nodes").EnumerateArray().Select(NodeId), Is.EqualTo(new[] { "greet", "out", "who" }));
        Assert.That(execution.GetProperty("nodesNextCursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Should_answer_an_empty_page_for_an_execution_with_no_node_run_yet()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{_execution}/nodes");

        Assert.That(page.GetProperty("items").GetArrayLength(), Is.Zero);
        Assert.That(page.GetProperty("nextCursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Should_answer_404_for_another_users_execution_or_none()
    {
        await StoreNodesAsync("who");
        using var stranger = await TestRun.Api.NewUserAsync();

        using var theirs = await stranger.GetAsync($"/api/executions/{_execution}/nodes");
        using var none = await _client.GetAsync($"/api/executions/{Guid.CreateVersion7()}/nodes");

        Assert.That(theirs.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("limit=0", "limit")]
    [TestCase("limit=501", "limit")]
    [TestCase("cursor=not-a-cursor!", "cursor")]
    [TestCase("cursor=", "cursor")]
    public async Task Should_name_a_bad_cursor_or_limit(string query, string field)
    {
        using var response = await _client.GetAsync($"/api/executions/{_execution}/nodes?{query}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Signing_up_and_in.ErrorFieldsAsync(response), Is.EquivalentTo(new[] { field }));
    }

    [Test]
    public async Task Should_accept_the_largest_limit_and_any_cursor_beyond_the_last_node()
    {
        await StoreNodesAsync("a", "b");
        var beyond = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("zzz"));

        var largest = await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{_execution}/nodes?limit=500");
        var after = await _client.GetFromJsonAsync<JsonElement>($"/api/executions/{_execution}/nodes?cursor={beyond}");

        Assert.That(largest.GetProperty("items").GetArrayLength(), Is.EqualTo(2));
        Assert.That(after.GetProperty("items").GetArrayLength(), Is.Zero);
    }

    private static string NodeId(JsonElement node) => node.GetProperty("nodeId").GetString()!;

    /// <summary>Node results as a Worker stores them (the Api's tests run no Worker).</summary>
    private async Task StoreNodesAsync(params string[] nodeIds)
    {
        var ownerId = ApiUsers.OwnerId(_client.DefaultRequestHeaders.Authorization!.Parameter!);
        await using var scope = TestRun.Api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GraphExecDbContext>();
        var now = DateTimeOffset.UtcNow;
        db.NodeExecutions.AddRange(nodeIds.Select(nodeId => new NodeExecution
        {
            OwnerId = ownerId,
            ExecutionId = _execution,
            NodeId = nodeId,
            Status = NodeStatus.Succeeded,
            Outputs = """{"value":"x"}""",
            Attempts = 1,
            StartedAt = now,
            FinishedAt = now,
        }));
        await db.SaveChangesAsync();
    }
}
