using System.Net;

namespace GraphExec.Api.Tests;

/// <summary>
/// Signing out ends the session everywhere at once: its refresh token and its unexpired access tokens are refused by every
/// replica from the next request on. Signing out everywhere does that for every session of the user.
/// </summary>
public sealed class Signing_out
{
    [Test]
    public async Task Should_refuse_the_sessions_access_and_refresh_tokens_at_once_on_every_replica()
    {
        await using var replica = new ApiApp();
        var credentials = await Sessions.SignUpAsync(TestRun.Api);
        var tokens = await Sessions.SignInAsync(TestRun.Api, credentials);
        var before = await Sessions.ListGraphsStatusAsync(replica, tokens.AccessToken);

        using var client = Sessions.ClientWith(TestRun.Api, tokens.AccessToken);
        using var signedOut = await client.PostAsync("/api/auth/sign-out", null);

        Assert.That(before, Is.EqualTo(200));
        Assert.That(signedOut.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await Sessions.ListGraphsStatusAsync(TestRun.Api, tokens.AccessToken), Is.EqualTo(401), "on the replica signed out at");
        Assert.That(await Sessions.ListGraphsStatusAsync(replica, tokens.AccessToken), Is.EqualTo(401), "on another replica");
        using var refreshed = await Sessions.RefreshAsync(replica, tokens.RefreshToken);
        Assert.That(refreshed.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await Sessions.ListGraphsStatusAsync(TestRun.Api, (await Sessions.SignInAsync(TestRun.Api, credentials)).AccessToken),
            Is.EqualTo(200), "signing in again starts a new session");
    }

    [Test]
    public async Task Should_leave_the_users_other_sessions_alone()
    {
        var credentials = await Sessions.SignUpAsync(TestRun.Api);
        var laptop = await Sessions.SignInAsync(TestRun.Api, credentials);
        var phone = await Sessions.SignInAsync(TestRun.Api, credentials);

        using var client = Sessions.ClientWith(TestRun.Api, laptop.AccessToken);
        using var signedOut = await client.PostAsync("/api/auth/sign-out", null);
        using var refreshed = await Sessions.RefreshAsync(TestRun.Api, phone.RefreshToken);

        Assert.That(signedOut.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await Sessions.ListGraphsStatusAsync(TestRun.Api, phone.AccessToken), Is.EqualTo(200));
        Assert.That(refreshed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Should_end_every_session_of_the_user_when_signing_out_everywhere()
    {
        var credentials = await Sessions.SignUpAsync(TestRun.Api);
        var laptop = await Sessions.SignInAsync(TestRun.Api, credentials);
        var phone = await Sessions.SignInAsync(TestRun.Api, credentials);
        var stranger = await Sessions.SignInAsync(TestRun.Api, await Sessions.SignUpAsync(TestRun.Api));

        using var client = Sessions.ClientWith(TestRun.Api, laptop.AccessToken);
        using var signedOut = await client.PostAsync("/api/auth/sign-out-everywhere", null);

        Assert.That(signedOut.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        foreach (var (name, session) in new[] { ("laptop", laptop), ("phone", phone) })
        {
            using var refreshed = await Sessions.RefreshAsync(TestRun.Api, session.RefreshToken);
            Assert.That(await Sessions.ListGraphsStatusAsync(TestRun.Api, session.AccessToken), Is.EqualTo(401), name);
            Assert.That(refreshed.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), name);
        }

        Assert.That(await Sessions.ListGraphsStatusAsync(TestRun.Api, stranger.AccessToken), Is.EqualTo(200), "another user's session");
    }

    [Test]
    public async Task Should_answer_401_without_a_token()
    {
        using var client = TestRun.Api.CreateClient();
        using var signOut = await client.PostAsync("/api/auth/sign-out", null);
        using var everywhere = await client.PostAsync("/api/auth/sign-out-everywhere", null);

        Assert.That(signOut.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(everywhere.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
