using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Testing;
using Npgsql;

namespace GraphExec.Api.Tests;

/// <summary>
/// Named secrets: a value goes in once and never comes out; another user can neither use nor see one; a graph that names
/// a secret its owner lacks is refused when saved and when run; and the database holds no secret in plain text.
/// </summary>
public sealed class Managing_credentials
{
    private HttpClient _client = null!;

    [SetUp]
    public async Task SignUpAsync() => _client = await TestRun.Api.NewUserAsync();

    [TearDown]
    public void SignOut() => _client.Dispose();

    [Test]
    public async Task Should_store_a_credential_and_never_show_its_value()
    {
        var value = NewValue();

        using var created = await _client.PostAsJsonAsync("/api/credentials", new { name = "api", value, kind = "bearerToken" });
        var createdText = await created.Content.ReadAsStringAsync();
        var listed = await _client.GetStringAsync("/api/credentials");
        var one = await _client.GetFromJsonAsync<JsonElement>("/api/credentials/api");

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), createdText);
            Assert.That(created.Headers.Location?.ToString(), Is.EqualTo("/api/credentials/api"));
            Assert.That(createdText + listed, Does.Not.Contain(value));
            Assert.That(one.GetProperty("name").GetString(), Is.EqualTo("api"));
            Assert.That(one.GetProperty("kind").GetString(), Is.EqualTo("bearerToken"));
            Assert.That(one.GetProperty("reference").GetString(), Is.EqualTo("{{secrets.api}}"));
            Assert.That(one.GetProperty("lastUsedAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(one.TryGetProperty("value", out _), Is.False);
        });
    }

    [Test]
    public async Task Should_replace_a_value_and_delete_a_credential()
    {
        await CreateAsync("token");

        using var replaced = await _client.PutAsJsonAsync("/api/credentials/token", new { value = NewValue(), kind = "apiKey" });
        using var deleted = await _client.DeleteAsync("/api/credentials/token");
        using var gone = await _client.GetAsync("/api/credentials/token");
        using var deletedAgain = await _client.DeleteAsync("/api/credentials/token");

        Assert.Multiple(async () =>
        {
            Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await replaced.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kind").GetString(), Is.EqualTo("apiKey"));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(deletedAgain.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task Should_serve_the_same_credentials_under_api_secrets()
    {
        var value = NewValue();

        using var created = await _client.PostAsJsonAsync("/api/secrets", new { name = "aliased", value });
        var throughCredentials = await _client.GetFromJsonAsync<JsonElement>("/api/credentials/aliased");
        var listed = await _client.GetStringAsync("/api/secrets");
        using var replaced = await _client.PutAsJsonAsync("/api/secrets/aliased", new { value = NewValue() });
        using var deleted = await _client.DeleteAsync("/api/secrets/aliased");
        using var gone = await _client.GetAsync("/api/credentials/aliased");
        using var openApi = await _client.GetAsync("/openapi/v1.json");
        var described = await openApi.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(throughCredentials.GetProperty("reference").GetString(), Is.EqualTo("{{secrets.aliased}}"));
            Assert.That(listed, Does.Contain("aliased").And.Not.Contain(value));
            Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(described, Does.Contain("/api/credentials").And.Not.Contain("/api/secrets"));
        });
    }

    [Test]
    public async Task Should_refuse_a_second_credential_of_the_same_name_with_409()
    {
        await CreateAsync("twice");

        using var again = await _client.PostAsJsonAsync("/api/credentials", new { name = "twice", value = NewValue() });

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await Errors(again), Does.ContainKey("name"));
    }

    [TestCase("""{ "value": "long enough value" }""", "name")]
    [TestCase("""{ "name": "has space", "value": "long enough value" }""", "name")]
    [TestCase("""{ "name": "this-name-is-far-too-long-for-a-credential-because-it-has-more-than-64-chars", "value": "long enough value" }""", "name")]
    [TestCase("""{ "name": "ok" }""", "value")]
    [TestCase("""{ "name": "ok", "value": "short" }""", "value")]
    [TestCase("""{ "name": "ok", "value": "bell\u0007inside the value" }""", "value")]
    [TestCase("""{ "name": "ok", "value": "nul\u0000inside the value" }""", "value")]
    public async Task Should_refuse_a_bad_name_or_value_with_400_naming_the_field(string body, string field)
    {
        using var refused = await _client.PostAsync("/api/credentials", Graphs.Json(body));

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Errors(refused), Does.ContainKey(field));
        Assert.That((await _client.GetFromJsonAsync<JsonElement>("/api/credentials")).GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Should_refuse_a_value_over_16_KiB_and_an_unknown_kind()
    {
        using var tooLong = await _client.PostAsJsonAsync("/api/credentials", new { name = "big", value = new string('x', 16 * 1024 + 1) });
        using var badKind = await _client.PostAsync("/api/credentials", Graphs.Json("""{ "name": "k", "value": "long enough value", "kind": "magic" }"""));

        Assert.That(tooLong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Errors(tooLong), Does.ContainKey("value"));
        Assert.That(badKind.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Should_keep_a_credential_from_another_user_who_can_neither_see_nor_use_it()
    {
        await CreateAsync("mine");
        using var other = await TestRun.Api.NewUserAsync();

        using var read = await other.GetAsync("/api/credentials/mine");
        using var replaced = await other.PutAsJsonAsync("/api/credentials/mine", new { value = NewValue() });
        using var deleted = await other.DeleteAsync("/api/credentials/mine");
        var listed = await other.GetFromJsonAsync<JsonElement>("/api/credentials");
        using var saved = await other.PostAsync("/api/graphs", Graphs.Json(GraphUsing("mine")));
        using var savedUnknown = await other.PostAsync("/api/graphs", Graphs.Json(GraphUsing("nobodys")));

        Assert.Multiple(async () =>
        {
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(listed.GetProperty("items").GetArrayLength(), Is.Zero);
            Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            // The answer is the same as for a name nobody has: it tells nothing about other users' credentials.
            var issue = (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("issues")[0];
            var unknownIssue = (await savedUnknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("issues")[0];
            Assert.That(issue.GetProperty("code").GetString(), Is.EqualTo("unknown_secret"));
            Assert.That(issue.GetProperty("message").GetString(), Is.EqualTo(unknownIssue.GetProperty("message").GetString()!.Replace("nobodys", "mine", StringComparison.Ordinal)));
        });
        Assert.That((await _client.GetAsync("/api/credentials/mine")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the owner still has it");
    }

    [Test]
    public async Task Should_refuse_to_save_a_graph_naming_a_secret_its_owner_lacks_then_accept_it_once_created()
    {
        using var refused = await _client.PostAsync("/api/graphs", Graphs.Json(GraphUsing("later")));
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        await CreateAsync("later");
        using var accepted = await _client.PostAsync("/api/graphs", Graphs.Json(GraphUsing("later")));

        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            var issue = problem.GetProperty("issues")[0];
            Assert.That(issue.GetProperty("pointer").GetString(), Is.EqualTo("/nodes/0/config"));
            Assert.That(issue.GetProperty("code").GetString(), Is.EqualTo("unknown_secret"));
            Assert.That(issue.GetProperty("message").GetString(), Does.Contain("'later'").And.Contain("node 'call'").IgnoreCase);
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        });
    }

    [Test]
    public async Task Should_refuse_to_run_a_graph_whose_credential_was_deleted_naming_it()
    {
        await CreateAsync("deleted");
        var graph = await _client.SaveGraphAsync(GraphUsing("deleted"));
        await _client.DeleteAsync("/api/credentials/deleted");

        using var run = await _client.PostAsJsonAsync($"/api/graphs/{graph}/executions", new { });

        Assert.That(run.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await run.Content.ReadAsStringAsync(), Does.Contain("'deleted'"));
    }

    [Test]
    public async Task Should_refuse_a_credential_over_the_quota_and_take_one_once_one_is_deleted()
    {
        await using var api = new ApiApp(new Dictionary<string, string?> { ["Quotas:Credentials"] = "1" });
        using var client = await api.NewUserAsync();
        (await client.PostAsJsonAsync("/api/credentials", new { name = "first", value = NewValue() })).EnsureSuccessStatusCode();

        using var refused = await client.PostAsJsonAsync("/api/credentials", new { name = "second", value = NewValue() });
        await client.DeleteAsync("/api/credentials/first");
        using var afterDelete = await client.PostAsJsonAsync("/api/credentials", new { name = "second", value = NewValue() });

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("quota").GetString(), Is.EqualTo("credentials"));
        Assert.That(afterDelete.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task Should_leave_no_credential_value_webhook_secret_or_key_ring_key_in_plain_text_in_a_database_dump()
    {
        var value = NewValue();
        await CreateAsync("dumped", value);
        var graph = await _client.SaveGraphAsync(Graphs.Greeting);
        using var webhook = await _client.PostAsJsonAsync($"/api/graphs/{graph}/webhooks", new { });
        var created = await webhook.Content.ReadFromJsonAsync<JsonElement>();
        var secret = created.GetProperty("secret").GetString()!;
        using var rotated = await _client.PostAsync($"/api/webhooks/{created.GetProperty("id").GetString()}/rotate", null);
        var newSecret = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;

        var dump = await DumpDatabaseAsync();

        Assert.Multiple(() =>
        {
            Assert.That(dump, Does.Contain("dumped"), "the dump holds the credentials table");
            Assert.That(dump, Does.Not.Contain(value));
            Assert.That(dump, Does.Not.Contain(secret), "the previous webhook secret");
            Assert.That(dump, Does.Not.Contain(newSecret), "the current webhook secret");
            Assert.That(dump, Does.Not.Contain(secret["whsec_".Length..]), "the secret's key, without its prefix");
            Assert.That(dump, Does.Contain("encryptedKey"), "the key ring's keys are encrypted");
            Assert.That(dump, Does.Not.Contain("<masterKey"), "no key ring key is stored in the clear");
        });
    }

    internal static string GraphUsing(string secret) => $$"""
        {
          "name": "Uses {{secret}}",
          "nodes": [
            { "id": "call", "block": "http", "config": { "url": "https://example.com/", "headers": { "Authorization": "Bearer {{"{{secrets." + secret + "}}"}}" } } }
          ],
          "edges": []
        }
        """;

    private static string NewValue() => "sk-test-" + Guid.NewGuid().ToString("N");

    private async Task CreateAsync(string name, string? value = null)
    {
        using var created = await _client.PostAsJsonAsync("/api/credentials", new { name, value = value ?? NewValue() });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
    }

    private static async Task<Dictionary<string, JsonElement>> Errors(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").Deserialize<Dictionary<string, JsonElement>>()!;

    /// <summary>The run's database as <c>pg_dump</c> writes it: what a stolen backup would show.</summary>
    private static async Task<string> DumpDatabaseAsync()
    {
        var pgDump = new[] { "/usr/bin/pg_dump" }.Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin", "pg_dump"))
                : [])
            .FirstOrDefault(File.Exists);
        if (pgDump is null)
        {
            Assert.Ignore("pg_dump is not installed here (the servers run in containers).");
        }

        var connection = new NpgsqlConnectionStringBuilder(RealServersSetUp.Isolated.Connections.Database);
        var start = new ProcessStartInfo(pgDump!)
        {
            ArgumentList = { "--host", connection.Host!, "--port", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--username", connection.Username!, "--no-password", connection.Database! },
            Environment = { ["PGPASSWORD"] = connection.Password },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, await errors);
        return await output;
    }
}
