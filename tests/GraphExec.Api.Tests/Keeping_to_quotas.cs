using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Core.Data;
using GraphExec.Engine;
using GraphExec.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.Api.Tests;

/// <summary>
/// A user over a quota gets a problem document naming it and its value, and nothing is stored: 403 for what a user keeps
/// (graphs, webhooks, schedules, bytes, a schedule's interval), 429 with Retry-After for runs waiting. Deleting gives back.
/// </summary>
public sealed class Keeping_to_quotas
{
    private const int GraphQuota = 3;
    private const int VersionQuota = 3;
    private const int StoredBytes = 20_000;

    private static readonly Dictionary<string, string?> Quotas = new()
    {
        ["Quotas:Graphs"] = $"{GraphQuota}",
        ["Quotas:VersionsPerGraph"] = $"{VersionQuota}",
        ["Quotas:Webhooks"] = "1",
        ["Quotas:Schedules"] = "1",
        ["Quotas:ScheduleMinimumInterval"] = "00:01:00",
        ["Quotas:StoredBytes"] = $"{StoredBytes}",
        ["Quotas:QueuedExecutions"] = "2",
        ["Quotas:AccessTokens"] = "1",
    };

    private ApiApp _api = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartApi() => _api = new ApiApp(Quotas);

    [OneTimeTearDown]
    public async Task StopApiAsync() => await _api.DisposeAsync();

    [SetUp]
    public async Task SignUpAsync() => _client = await _api.NewUserAsync();

    [TearDown]
    public void SignOut() => _client.Dispose();

    [Test]
    public async Task Should_refuse_a_graph_over_the_quota_with_403_naming_it_and_take_one_once_a_graph_is_deleted()
    {
        var graphs = new List<Guid>();
        for (var i = 0; i < GraphQuota; i++)
        {
            graphs.Add(await CreateGraphAsync(Graphs.Named($"g{i}")));
        }

        using var refused = await _client.PostAsync("/api/graphs", Graphs.Json(Graphs.Named("one too many")));
        var listed = await _client.GetFromJsonAsync<JsonElement>("/api/graphs");
        using var deleted = await _client.DeleteAsync($"/api/graphs/{graphs[0]}");
        using var afterDelete = await _client.PostAsync("/api/graphs", Graphs.Json(Graphs.Named("in its place")));

        await AssertOverQuotaAsync(refused, HttpStatusCode.Forbidden, "graphs", "3");
        Assert.That(listed.GetProperty("items").GetArrayLength(), Is.EqualTo(GraphQuota), "the refused graph is not stored");
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(afterDelete.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task Should_keep_the_newest_versions_and_every_version_another_graph_runs()
    {
        var callee = await CreateGraphAsync(Graphs.Named("callee"));
        await CreateGraphAsync(Caller(callee, version: 1));
        for (var i = 2; i <= 6; i++)
        {
            using var saved = await _client.PutAsync($"/api/graphs/{callee}", Graphs.Json(Graphs.Named($"callee v{i}")));
            Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var versions = await _client.GetFromJsonAsync<JsonElement>($"/api/graphs/{callee}/versions");
        using var removed = await _client.GetAsync($"/api/graphs/{callee}/versions/2");
        using var pinned = await _client.GetAsync($"/api/graphs/{callee}/versions/1");

        Assert.That(versions.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()), Is.EqualTo(new[] { 6, 5, 4, 1 }));
        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(pinned.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the caller runs version 1");
    }

    [Test]
    public async Task Should_refuse_a_graph_that_would_go_over_the_stored_bytes_and_store_nothing()
    {
        await CreateGraphAsync(Graphs.Named("small"));
        var large = $$"""
            { "name": "Large", "nodes": [ { "id": "c", "block": "constant", "config": { "value": "{{new string('x', StoredBytes)}}" } } ], "edges": [] }
            """;

        using var refused = await _client.PostAsync("/api/graphs", Graphs.Json(large));
        var listed = await _client.GetFromJsonAsync<JsonElement>("/api/graphs");

        await AssertOverQuotaAsync(refused, HttpStatusCode.Forbidden, "storedBytes", "20,000");
        Assert.That(listed.GetProperty("items").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_refuse_a_webhook_over_the_quota_and_take_one_once_a_webhook_is_deleted()
    {
        var graph = await CreateGraphAsync(Graphs.Greeting);
        using var first = await _client.PostAsJsonAsync($"/api/graphs/{graph}/webhooks", new { });
        using var refused = await _client.PostAsJsonAsync($"/api/graphs/{graph}/webhooks", new { });
        var listed = await _client.GetFromJsonAsync<JsonElement>($"/api/graphs/{graph}/webhooks");
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var deleted = await _client.DeleteAsync($"/api/webhooks/{id}");
        using var afterDelete = await _client.PostAsJsonAsync($"/api/graphs/{graph}/webhooks", new { });

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await AssertOverQuotaAsync(refused, HttpStatusCode.Forbidden, "webhooks", "1");
        Assert.That(listed.GetProperty("items").GetArrayLength(), Is.EqualTo(1));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(afterDelete.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task Should_refuse_a_schedule_firing_more_often_than_the_minimum_interval_or_over_the_quota()
    {
        var graph = await CreateGraphAsync(Graphs.Greeting);

        using var everySecond = await _client.PostAsJsonAsync($"/api/graphs/{graph}/schedules", new { cron = "* * * * * *" });
        using var twiceInAMinuteOnceAYear = await _client.PostAsJsonAsync($"/api/graphs/{graph}/schedules", new { cron = "0,30 0 0 1 1 *" });
        using var everyMinute = await _client.PostAsJsonAsync($"/api/graphs/{graph}/schedules", new { cron = "* * * * *" });
        using var second = await _client.PostAsJsonAsync($"/api/graphs/{graph}/schedules", new { cron = "0 * * * *" });
        var listed = await _client.GetFromJsonAsync<JsonElement>($"/api/graphs/{graph}/schedules");

        await AssertOverQuotaAsync(everySecond, HttpStatusCode.Forbidden, "scheduleMinimumInterval", "00:01:00");
        await AssertOverQuotaAsync(twiceInAMinuteOnceAYear, HttpStatusCode.Forbidden, "scheduleMinimumInterval", "00:01:00");
        Assert.That(everyMinute.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await AssertOverQuotaAsync(second, HttpStatusCode.Forbidden, "schedules", "1");
        Assert.That(listed.GetProperty("items").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_answer_429_with_retry_after_once_the_queued_executions_are_at_the_quota_and_store_nothing()
    {
        // No Worker runs here, so every run stays Queued.
        var graph = await CreateGraphAsync(Graphs.Greeting);
        using var first = await _client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { });
        using var second = await _client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { });
        using var refused = await _client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { });
        var listed = await _client.GetFromJsonAsync<JsonElement>("/api/executions");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        await AssertOverQuotaAsync(refused, HttpStatusCode.TooManyRequests, "queuedExecutions", "2");
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(listed.GetProperty("items").GetArrayLength(), Is.EqualTo(2));
    }

    [Test]
    public async Task Should_count_a_retry_against_the_queued_executions_like_any_run()
    {
        var graph = await CreateGraphAsync(Graphs.Greeting);
        var failed = await StoreFailedRunAsync(graph);
        using var first = await _client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { });
        using var second = await _client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { });

        using var refused = await _client.PostAsync($"/api/executions/{failed}/retry", content: null);
        var listed = await _client.GetFromJsonAsync<JsonElement>("/api/executions");

        await AssertOverQuotaAsync(refused, HttpStatusCode.TooManyRequests, "queuedExecutions", "2");
        Assert.That(listed.GetProperty("items").GetArrayLength(), Is.EqualTo(3), "the refused retry is not stored");
    }

    [Test]
    public async Task Should_give_a_user_the_quotas_configured_for_them_and_the_defaults_for_the_rest()
    {
        var userId = ApiUsers.OwnerId(_client.DefaultRequestHeaders.Authorization!.Parameter!);
        await using var api = new ApiApp(new Dictionary<string, string?>(Quotas) { [$"Quotas:Users:{userId}:Graphs"] = "5" });
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = _client.DefaultRequestHeaders.Authorization;

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var created = await client.PostAsync("/api/graphs", Graphs.Json(Graphs.Named($"g{i}")));
            answers.Add(created.StatusCode);
        }

        var graph = (await client.GetFromJsonAsync<JsonElement>("/api/graphs")).GetProperty("items")[0].GetProperty("id").GetGuid();
        using var webhook = await client.PostAsJsonAsync($"/api/graphs/{graph}/webhooks", new { });
        using var secondWebhook = await client.PostAsJsonAsync($"/api/graphs/{graph}/webhooks", new { });

        Assert.That(answers, Is.EqualTo(Enumerable.Repeat(HttpStatusCode.Created, 5).Append(HttpStatusCode.Forbidden)));
        Assert.That(webhook.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await AssertOverQuotaAsync(secondWebhook, HttpStatusCode.Forbidden, "webhooks", "1");
    }

    [Test]
    public async Task Should_refuse_a_personal_access_token_over_the_quota_and_take_one_once_a_token_is_revoked()
    {
        var token = new { name = "ci", scopes = new[] { "graphs:read" }, expiresInDays = 1 };
        using var first = await _client.PostAsJsonAsync("/api/tokens", token);
        using var refused = await _client.PostAsJsonAsync("/api/tokens", token);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var revoked = await _client.DeleteAsync($"/api/tokens/{id}");
        using var afterRevoke = await _client.PostAsJsonAsync("/api/tokens", token);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await AssertOverQuotaAsync(refused, HttpStatusCode.Forbidden, "accessTokens", "1");
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(afterRevoke.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    private static string Caller(Guid callee, int version) => $$"""
        {
          "name": "Caller",
          "nodes": [
            { "id": "call", "block": "subgraph", "config": { "graph": "{{callee}}", "version": {{version}} } },
            { "id": "out", "block": "output", "config": { "name": "result" } }
          ],
          "edges": [ { "from": "call.result", "to": "out.value" } ]
        }
        """;

    /// <summary>A run of the graph that ended Failed, stored as a Worker leaves it (it never counted as queued here).</summary>
    private async Task<Guid> StoreFailedRunAsync(Guid graph)
    {
        var now = DateTimeOffset.UtcNow;
        var execution = new Execution
        {
            OwnerId = ApiUsers.OwnerId(_client.DefaultRequestHeaders.Authorization!.Parameter!), Id = Guid.CreateVersion7(), GraphId = graph,
            GraphVersion = 1, Trigger = TriggerKind.Manual, Status = ExecutionStatus.Failed, Inputs = "{}", QueuedAt = now, FinishedAt = now,
        };
        await using var scope = _api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GraphExecDbContext>();
        db.Executions.Add(execution);
        await db.SaveChangesAsync();
        return execution.Id;
    }

    private async Task<Guid> CreateGraphAsync(string json)
    {
        using var created = await _client.PostAsync("/api/graphs", Graphs.Json(json));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task AssertOverQuotaAsync(HttpResponseMessage response, HttpStatusCode status, string quota, string limit)
    {
        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("quota").GetString(), Is.EqualTo(quota));
        Assert.That(problem.GetProperty("limit").GetString(), Is.EqualTo(limit));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(limit));
    }
}
