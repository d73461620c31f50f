using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GraphExec.Core.Data;
using GraphExec.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.Api.Tests;

/// <summary>
/// Personal access tokens (<c>gxp_…</c>) for scripts and CI: shown once, stored as a hash, acting as their owner within
/// their scopes only, refused with 401 once revoked or expired, and unable to manage tokens or sessions.
/// </summary>
public sealed class Using_personal_access_tokens
{
    private HttpClient _owner = null!;

    [SetUp]
    public async Task SignUpAsync() => _owner = await TestRun.Api.NewUserAsync();

    [TearDown]
    public void SignOut() => _owner.Dispose();

    [Test]
    public async Task Should_show_the_token_once_and_keep_only_its_hash()
    {
        using var created = await _owner.PostAsJsonAsync("/api/tokens", new { name = "CI deploys", scopes = new[] { "graphs:read", "graphs:write" }, expiresInDays = 30 });
        var token = await created.Content.ReadFromJsonAsync<JsonElement>();
        var listed = await _owner.GetFromJsonAsync<JsonElement>("/api/tokens");
        var id = token.GetProperty("id").GetGuid();
        var secret = token.GetProperty("token").GetString()!;

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(created.Headers.Location?.ToString(), Is.EqualTo($"/api/tokens/{id}"));
        Assert.That(secret, Does.StartWith("gxp_").And.Length.EqualTo(47));
        Assert.That(token.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "graphs:read", "graphs:write" }));
        Assert.That(token.GetProperty("expiresAt").GetDateTimeOffset(), Is.EqualTo(DateTimeOffset.UtcNow.AddDays(30)).Within(TimeSpan.FromMinutes(1)));
        var item = listed.GetProperty("items").EnumerateArray().Single();
        Assert.That(item.GetProperty("id").GetGuid(), Is.EqualTo(id));
        Assert.That(item.GetProperty("name").GetString(), Is.EqualTo("CI deploys"));
        Assert.That(item.GetProperty("token").ValueKind, Is.EqualTo(JsonValueKind.Null), "never shown again");
        Assert.That(listed.GetProperty("nextCursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var stored = await StoredAsync(id);
        Assert.That(stored.TokenHash, Is.EqualTo(SHA256.HashData(Encoding.UTF8.GetBytes(secret))));
    }

    [Test]
    public async Task Should_act_as_its_owner_within_its_scopes_and_refuse_the_rest_naming_the_missing_scope()
    {
        var graph = await _owner.SaveGraphAsync(Graphs.Greeting);
        using var stranger = await TestRun.Api.NewUserAsync();
        var strangersGraph = await stranger.SaveGraphAsync(Graphs.Greeting);
        using var script = Sessions.ClientWith(TestRun.Api, await CreateAsync("graphs:read", "executions:write"));

        var graphs = await script.GetFromJsonAsync<JsonElement>("/api/graphs");
        using var own = await script.GetAsync($"/api/graphs/{graph}");
        using var strangers = await script.GetAsync($"/api/graphs/{strangersGraph}");
        using var run = await script.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { inputs = new { who = "Ada" } });
        using var save = await script.PostAsync("/api/graphs", Graphs.Json(Graphs.Greeting));
        using var readRuns = await script.GetAsync("/api/executions");
        using var blocks = await script.GetAsync("/api/blocks");

        Assert.That(graphs.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("id").GetGuid()), Is.EqualTo(new[] { graph }));
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(strangers.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "its owner's data only");
        Assert.That(run.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await run.Content.ReadAsStringAsync());
        Assert.That(blocks.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the block catalogue needs no scope");
        await AssertMissingScopeAsync(save, "graphs:write");
        await AssertMissingScopeAsync(readRuns, "executions:read");
    }

    [Test]
    public async Task Should_need_the_scope_of_each_area_for_reads_and_writes()
    {
        var graph = await _owner.SaveGraphAsync(Graphs.Greeting);
        using var reader = Sessions.ClientWith(TestRun.Api, await CreateAsync("webhooks:read", "schedules:read"));
        using var writer = Sessions.ClientWith(TestRun.Api, await CreateAsync("webhooks:write", "schedules:write"));

        using var readWebhooks = await reader.GetAsync($"/api/graphs/{graph}/webhooks");
        using var readSchedules = await reader.GetAsync($"/api/graphs/{graph}/schedules");
        using var createWebhook = await reader.PostAsJsonAsync($"/api/graphs/{graph}/webhooks", new { });
        using var writeWebhook = await writer.PostAsJsonAsync($"/api/graphs/{graph}/webhooks", new { });
        using var listWebhooks = await writer.GetAsync($"/api/graphs/{graph}/webhooks");
        using var previewSchedule = await writer.GetAsync("/api/schedules/preview?cron=*/5+*+*+*+*");

        Assert.That(readWebhooks.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(readSchedules.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertMissingScopeAsync(createWebhook, "webhooks:write");
        Assert.That(writeWebhook.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await AssertMissingScopeAsync(listWebhooks, "webhooks:read");
        await AssertMissingScopeAsync(previewSchedule, "schedules:read");
    }

    [Test]
    public async Task Should_answer_401_once_revoked()
    {
        var token = await CreateAsync("graphs:read");
        var id = (await _owner.GetFromJsonAsync<JsonElement>("/api/tokens")).GetProperty("items")[0].GetProperty("id").GetGuid();
        var before = await Sessions.ListGraphsStatusAsync(TestRun.Api, token);

        using var revoked = await _owner.DeleteAsync($"/api/tokens/{id}");
        var after = await Sessions.ListGraphsStatusAsync(TestRun.Api, token);
        using var again = await _owner.DeleteAsync($"/api/tokens/{id}");
        var listed = await _owner.GetFromJsonAsync<JsonElement>("/api/tokens");

        Assert.That(before, Is.EqualTo(200));
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(after, Is.EqualTo(401));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(listed.GetProperty("items").GetArrayLength(), Is.Zero, "a revoked token is no longer listed");
    }

    [Test]
    public async Task Should_answer_401_once_expired()
    {
        var token = await CreateAsync("graphs:read");
        var before = await Sessions.ListGraphsStatusAsync(TestRun.Api, token);
        await ExpireAsync(token);

        using var client = Sessions.ClientWith(TestRun.Api, token);
        using var after = await client.GetAsync("/api/graphs");

        Assert.That(before, Is.EqualTo(200));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(after.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(after.Headers.WwwAuthenticate.ToString(), Does.Contain("invalid_token").And.Contain("expired"));
    }

    [TestCase("gxp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", TestName = "an unknown token")]
    [TestCase("gxp_", TestName = "a bare prefix")]
    [TestCase("gxp_not*base64url*at*all*but*the*right*length", TestName = "a token that is not base64url")]
    public async Task Should_answer_401_to(string token)
    {
        Assert.That(await Sessions.ListGraphsStatusAsync(TestRun.Api, token), Is.EqualTo(401));
    }

    [Test]
    public async Task Should_not_manage_tokens_or_sessions()
    {
        var id = Guid.NewGuid();
        using var script = Sessions.ClientWith(TestRun.Api, await CreateAsync([.. AllScopes]));

        using var create = await script.PostAsJsonAsync("/api/tokens", new { name = "successor", scopes = new[] { "graphs:read" }, expiresInDays = 365 });
        using var list = await script.GetAsync("/api/tokens");
        using var revoke = await script.DeleteAsync($"/api/tokens/{id}");
        using var signOut = await script.PostAsync("/api/auth/sign-out", null);
        using var everywhere = await script.PostAsync("/api/auth/sign-out-everywhere", null);

        foreach (var response in new[] { create, list, revoke, signOut, everywhere })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), response.RequestMessage!.RequestUri!.ToString());
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }

        Assert.That((await create.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), Does.Contain("sign in"));
        Assert.That(await Sessions.ListGraphsStatusAsync(TestRun.Api, _owner.DefaultRequestHeaders.Authorization!.Parameter!), Is.EqualTo(200),
            "the owner's session lives on");
    }

    [Test]
    public async Task Should_record_when_it_was_last_used()
    {
        var token = await CreateAsync("graphs:read");
        var unused = (await _owner.GetFromJsonAsync<JsonElement>("/api/tokens")).GetProperty("items")[0];

        await Sessions.ListGraphsStatusAsync(TestRun.Api, token);
        var used = (await _owner.GetFromJsonAsync<JsonElement>("/api/tokens")).GetProperty("items")[0];

        Assert.That(unused.GetProperty("lastUsedAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(used.GetProperty("lastUsedAt").GetDateTimeOffset(), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
    }

    [TestCase("""{ "scopes": ["graphs:read"], "expiresInDays": 30 }""", "name")]
    [TestCase("""{ "name": "   ", "scopes": ["graphs:read"], "expiresInDays": 30 }""", "name")]
    [TestCase("""{ "name": "x\u0000", "scopes": ["graphs:read"], "expiresInDays": 30 }""", "name")]
    [TestCase("""{ "name": "ci", "expiresInDays": 30 }""", "scopes")]
    [TestCase("""{ "name": "ci", "scopes": [], "expiresInDays": 30 }""", "scopes")]
    [TestCase("""{ "name": "ci", "scopes": ["graphs:admin"], "expiresInDays": 30 }""", "scopes")]
    [TestCase("""{ "name": "ci", "scopes": ["Graphs:Read"], "expiresInDays": 30 }""", "scopes")]
    [TestCase("""{ "name": "ci", "scopes": [""], "expiresInDays": 30 }""", "scopes")]
    [TestCase("""{ "name": "ci", "scopes": [null], "expiresInDays": 30 }""", "scopes")]
    [TestCase("""{ "name": "ci", "scopes": ["graphs:read"] }""", "expiresInDays")]
    [TestCase("""{ "name": "ci", "scopes": ["graphs:read"], "expiresInDays": 0 }""", "expiresInDays")]
    [TestCase("""{ "name": "ci", "scopes": ["graphs:read"], "expiresInDays": 366 }""", "expiresInDays")]
    [TestCase("""{ }""", "name", "scopes", "expiresInDays")]
    public async Task Should_refuse_bad_input_naming_the_field(string body, params string[] fields)
    {
        using var response = await _owner.PostAsync("/api/tokens", Graphs.Json(body));
        var listed = await _owner.GetFromJsonAsync<JsonElement>("/api/tokens");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Signing_up_and_in.ErrorFieldsAsync(response), Is.EquivalentTo(fields));
        Assert.That(listed.GetProperty("items").GetArrayLength(), Is.Zero, "nothing stored");
    }

    [Test]
    public async Task Should_refuse_a_name_of_more_than_100_characters()
    {
        using var response = await _owner.PostAsJsonAsync("/api/tokens", new { name = new string('n', 101), scopes = new[] { "graphs:read" }, expiresInDays = 1 });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Signing_up_and_in.ErrorFieldsAsync(response), Is.EquivalentTo(new[] { "name" }));
    }

    private static readonly string[] AllScopes =
    [
        "graphs:read", "graphs:write", "executions:read", "executions:write", "webhooks:read", "webhooks:write",
        "schedules:read", "schedules:write", "credentials:read", "credentials:write",
    ];

    /// <summary>A new token of the owner with <paramref name="scopes"/>.</summary>
    private async Task<string> CreateAsync(params string[] scopes)
    {
        using var created = await _owner.PostAsJsonAsync("/api/tokens", new { name = "test", scopes, expiresInDays = 1 });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private static async Task AssertMissingScopeAsync(HttpResponseMessage response, string scope)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), response.RequestMessage!.RequestUri!.ToString());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("scope").GetString(), Is.EqualTo(scope));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(scope));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.Contain("insufficient_scope"));
    }

    private static async Task<AccessToken> StoredAsync(Guid id)
    {
        await using var scope = TestRun.Api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GraphExecDbContext>().AccessTokens.AsNoTracking().SingleAsync(t => t.Id == id);
    }

    /// <summary>Moves the token's end into the past, as time would.</summary>
    private static async Task ExpireAsync(string token)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        await using var scope = TestRun.Api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GraphExecDbContext>();
        var updated = await db.AccessTokens.Where(t => t.TokenHash == hash)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        Assert.That(updated, Is.EqualTo(1));
    }
}
