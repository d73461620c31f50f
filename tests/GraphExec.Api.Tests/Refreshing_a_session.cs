using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GraphExec.Api.Features.Auth;
using GraphExec.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.Api.Tests;

/// <summary>
/// Signing in starts a session: an access token naming it (<c>sid</c>) and a refresh token that is exchanged, once, for a
/// new pair. A refresh token presented after it was exchanged ends the whole session (someone else has a copy).
/// </summary>
public sealed class Refreshing_a_session
{
    [Test]
    public async Task Should_sign_in_with_a_refresh_token_and_an_access_token_that_names_the_session()
    {
        var before = DateTimeOffset.UtcNow;
        var tokens = await Sessions.SignInAsync(TestRun.Api, await Sessions.SignUpAsync(TestRun.Api));

        Assert.That(tokens.RefreshToken, Does.StartWith("gxr_").And.Length.EqualTo(47));
        Assert.That(tokens.RefreshExpiresAt, Is.EqualTo(before.AddDays(30)).Within(TimeSpan.FromMinutes(1)), "30 days by default");
        Assert.That(tokens.ExpiresAt, Is.LessThan(tokens.RefreshExpiresAt));
        Assert.That(Guid.TryParse(Sessions.ClaimOf(tokens.AccessToken, "sid"), out _), Is.True, "the sid claim");
    }

    [Test]
    public async Task Should_rotate_the_refresh_token_and_issue_an_access_token_of_the_same_session_that_works()
    {
        var first = await Sessions.SignInAsync(TestRun.Api, await Sessions.SignUpAsync(TestRun.Api));

        using var response = await Sessions.RefreshAsync(TestRun.Api, first.RefreshToken);
        var second = await response.Content.ReadFromJsonAsync<TokenResponse>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(second!.RefreshToken, Does.StartWith("gxr_").And.Not.EqualTo(first.RefreshToken));
        Assert.That(second.AccessToken, Is.Not.EqualTo(first.AccessToken));
        Assert.That(second.RefreshExpiresAt, Is.EqualTo(first.RefreshExpiresAt), "refreshing never moves the session's end");
        Assert.That(Sessions.ClaimOf(second.AccessToken, "sid"), Is.EqualTo(Sessions.ClaimOf(first.AccessToken, "sid")));
        Assert.That(Sessions.ClaimOf(second.AccessToken, "sub"), Is.EqualTo(Sessions.ClaimOf(first.AccessToken, "sub")));
        Assert.That(await Sessions.ListGraphsStatusAsync(TestRun.Api, second.AccessToken), Is.EqualTo(200));

        using var again = await Sessions.RefreshAsync(TestRun.Api, second.RefreshToken);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the new refresh token refreshes in turn");
    }

    [Test]
    public async Task Should_end_the_session_when_a_replaced_refresh_token_is_presented_again()
    {
        var credentials = await Sessions.SignUpAsync(TestRun.Api);
        var first = await Sessions.SignInAsync(TestRun.Api, credentials);
        var other = await Sessions.SignInAsync(TestRun.Api, credentials);
        using var rotated = await Sessions.RefreshAsync(TestRun.Api, first.RefreshToken);
        var second = (await rotated.Content.ReadFromJsonAsync<TokenResponse>())!;

        using var reused = await Sessions.RefreshAsync(TestRun.Api, first.RefreshToken);
        using var afterReuse = await Sessions.RefreshAsync(TestRun.Api, second.RefreshToken);

        Assert.That(reused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(reused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(afterReuse.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the thief's newer token is dead too");
        Assert.That(await Sessions.ListGraphsStatusAsync(TestRun.Api, second.AccessToken), Is.EqualTo(401), "and the session's access tokens");
        Assert.That(await Sessions.ListGraphsStatusAsync(TestRun.Api, first.AccessToken), Is.EqualTo(401));
        Assert.That(await Sessions.ListGraphsStatusAsync(TestRun.Api, other.AccessToken), Is.EqualTo(200), "another session of the user lives on");
    }

    [Test]
    public async Task Should_end_the_session_when_two_requests_present_the_same_refresh_token_at_once()
    {
        var tokens = await Sessions.SignInAsync(TestRun.Api, await Sessions.SignUpAsync(TestRun.Api));

        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Sessions.RefreshAsync(TestRun.Api, tokens.RefreshToken)));
        var statuses = answers.Select(answer => answer.StatusCode).ToList();
        var winner = answers.SingleOrDefault(answer => answer.StatusCode == HttpStatusCode.OK);
        var won = winner is null ? null : await winner.Content.ReadFromJsonAsync<TokenResponse>();
        using var next = won is null ? null : await Sessions.RefreshAsync(TestRun.Api, won.RefreshToken);

        Assert.That(statuses, Does.Contain(HttpStatusCode.Unauthorized), "at most one exchange of a refresh token");
        Assert.That(next?.StatusCode ?? HttpStatusCode.Unauthorized, Is.EqualTo(HttpStatusCode.Unauthorized), "a token used twice ends its session");
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Test]
    public async Task Should_refuse_the_refresh_token_of_an_expired_session()
    {
        var tokens = await Sessions.SignInAsync(TestRun.Api, await Sessions.SignUpAsync(TestRun.Api));
        await WithSessionAsync(tokens.AccessToken, session => session.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1));

        using var response = await Sessions.RefreshAsync(TestRun.Api, tokens.RefreshToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), Does.Contain("expired"));
    }

    [TestCase("gxr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", TestName = "an unknown token")]
    [TestCase("gxr_short", TestName = "a token too short")]
    [TestCase("gxp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", TestName = "a personal access token")]
    [TestCase("not a token at all \u0000", TestName = "text that is no token")]
    public async Task Should_refuse_with_401(string refreshToken)
    {
        using var response = await Sessions.RefreshAsync(TestRun.Api, refreshToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [TestCase("{}")]
    [TestCase("{\"refreshToken\":\"\"}")]
    [TestCase("{\"refreshToken\":null}")]
    [TestCase("null")]
    public async Task Should_name_refreshToken_when_it_is_missing(string body)
    {
        using var client = TestRun.Api.CreateClient();
        using var response = await client.PostAsync("/api/auth/refresh", Graphs.Json(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Signing_up_and_in.ErrorFieldsAsync(response), Is.EquivalentTo(new[] { "refreshToken" }));
    }

    [Test]
    public async Task Should_store_only_hashes_of_refresh_tokens()
    {
        var first = await Sessions.SignInAsync(TestRun.Api, await Sessions.SignUpAsync(TestRun.Api));
        using var rotated = await Sessions.RefreshAsync(TestRun.Api, first.RefreshToken);
        var second = (await rotated.Content.ReadFromJsonAsync<TokenResponse>())!;

        Session stored = null!;
        await WithSessionAsync(first.AccessToken, session => stored = session);

        Assert.That(stored.RefreshTokenHash, Is.EqualTo(SHA256.HashData(Encoding.UTF8.GetBytes(second.RefreshToken))));
        Assert.That(stored.PreviousRefreshTokenHash, Is.EqualTo(SHA256.HashData(Encoding.UTF8.GetBytes(first.RefreshToken))));
        Assert.That(stored.RevokedAt, Is.Null);
    }

    /// <summary>Changes the session of <paramref name="accessToken"/> in the database, as time or another request would.</summary>
    internal static async Task WithSessionAsync(string accessToken, Action<Session> change)
    {
        var userId = Guid.Parse(Sessions.ClaimOf(accessToken, "sub")!);
        var sessionId = Guid.Parse(Sessions.ClaimOf(accessToken, "sid")!);
        await using var scope = TestRun.Api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GraphExecDbContext>();
        var session = await db.Sessions.SingleAsync(s => s.UserId == userId && s.Id == sessionId);
        change(session);
        await db.SaveChangesAsync();
    }
}
