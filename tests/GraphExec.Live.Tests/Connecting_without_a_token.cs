using System.Net;
using System.Net.WebSockets;

namespace GraphExec.Live.Tests;

public sealed class Connecting_without_a_token
{
    [Test]
    public void Should_be_refused_at_negotiation()
    {
        var refused = Assert.ThrowsAsync<HttpRequestException>(() => Watcher.ConnectAsync(TestRun.LiveA, token: null));

        Assert.That(refused!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public void Should_be_refused_on_a_direct_websocket()
    {
        Assert.ThrowsAsync<WebSocketException>(() => Watcher.ConnectAsync(TestRun.LiveB, token: null, skipNegotiation: true));
    }
}
