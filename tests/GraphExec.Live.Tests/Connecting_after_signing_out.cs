using System.Net;
using System.Net.WebSockets;

namespace GraphExec.Live.Tests;

/// <summary>
/// A token of a session that was signed out at the Api is refused by every Live replica from then on, though it has not
/// expired: the Api lists the ended session in Redis and Live checks that list as it validates a token.
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
}
