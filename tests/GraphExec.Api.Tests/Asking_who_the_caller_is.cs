using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Api.Tests;

/// <summary><c>GET /api/me</c>: any caller, whatever its scopes, learns whose it is and what it may do.</summary>
public sealed class Asking_who_the_caller_is
{
    [Test]
    public async Task Should_name_the_user_of_a_session_with_every_scope()
    {
        var credentials = await Sessions.SignUpAsync(TestRun.Api);
        var tokens = await Sessions.SignInAsync(TestRun.Api, credentials);
        using var person = Sessions.ClientWith(TestRun.Api, tokens.AccessToken);

        var me = await person.GetFromJsonAsync<JsonElement>("/api/me");

        Assert.That(me.GetProperty("id").GetGuid(), Is.EqualTo(ApiUsers.OwnerId(tokens.AccessToken)));
        Assert.That(me.GetProperty("username").GetString(), Is.EqualTo(credentials.Username));
        Assert.That(me.GetProperty("kind").GetString(), Is.EqualTo("session"));
        Assert.That(me.GetProperty("scopes").GetArrayLength(), Is.EqualTo(10));
        Assert.That(me.GetProperty("tokenName").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(me.GetProperty("expiresAt").GetDateTimeOffset(), Is.EqualTo(tokens.ExpiresAt).Within(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task Should_name_a_tokens_user_name_scopes_and_end_whatever_its_scopes()
    {
        var credentials = await Sessions.SignUpAsync(TestRun.Api);
        using var person = Sessions.ClientWith(TestRun.Api, (await Sessions.SignInAsync(TestRun.Api, credentials)).AccessToken);
        using var created = await person.PostAsJsonAsync("/api/tokens", new { name = "nightly", scopes = new[] { "webhooks:read" }, expiresInDays = 7 });
        var token = await created.Content.ReadFromJsonAsync<JsonElement>();
        using var script = Sessions.ClientWith(TestRun.Api, token.GetProperty("token").GetString()!);

        using var answer = await script.GetAsync("/api/me");
        var me = await answer.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), me.ToString());
        Assert.That(me.GetProperty("username").GetString(), Is.EqualTo(credentials.Username));
        Assert.That(me.GetProperty("kind").GetString(), Is.EqualTo("token"));
        Assert.That(me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "webhooks:read" }));
        Assert.That(me.GetProperty("tokenName").GetString(), Is.EqualTo("nightly"));
        Assert.That(me.GetProperty("expiresAt").GetDateTimeOffset(), Is.EqualTo(token.GetProperty("expiresAt").GetDateTimeOffset()).Within(TimeSpan.FromMilliseconds(1)));
    }
}
