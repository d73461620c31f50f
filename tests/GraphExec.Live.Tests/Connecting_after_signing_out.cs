using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR.Client;

namespace GraphExec.Live.Tests;

/// <summary>
/// A token of a session that was signed out at the Api is refused by every Live replica from then on, though it has not
/// expired: the Api lists the ended session in Redis and Live checks that list as it validates a token. Connections the
/// session already has open are closed, on every replica.
/// </summary>
public sealed class Connecting_after_signing_out
{
    [Test]
    public async Task Should_refuse_the_token_on_every_replica_at_once()
    {
        using var user = await ApiUser.SignUpAsync();
        await using (await Watcher.ConnectAsync(TestRun.LiveA, user.Token))
        {
            // Connects while the session lasts.
        }

        await user.SignOutAsync();

        var refused = Assert.ThrowsAsync<HttpRequestException>(() => Watcher.ConnectAsync(TestRun.LiveA, user.Token));
        Assert.That(refused!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.ThrowsAsync<WebSocketException>(() => Watcher.ConnectAsync(TestRun.LiveB, user.Token, skipNegotiation: true));
    }

    [Test]
    public async Task Should_close_the_sessions_open_connections_on_every_replica()
    {
        using var user = await ApiUser.SignUpAsync();
        using var other = await ApiUser.SignUpAsync();
        await using var onA = await Watcher.ConnectAsync(TestRun.LiveA, user.Token);
        await using var onB = await Watcher.ConnectAsync(TestRun.LiveB, user.Token, skipNegotiation: true);
        await using var othersSession = await Watcher.ConnectAsync(TestRun.LiveA, other.Token);

        await user.SignOutAsync();

        await Task.WhenAll(onA.Closed, onB.Closed).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(othersSession.Connection.State, Is.EqualTo(HubConnectionState.Connected), "another session's connection stays");
    }
}
