using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR.Client;

namespace GraphExec.Live.Tests;

/// <summary>
/// A personal access token cannot connect to Live, but a Live ticket the Api gives for it can: it watches its user's runs
/// until the token is revoked, when every replica refuses the ticket and closes its connections, as for a signed-out session.
/// </summary>
public sealed class Watching_with_a_live_ticket
{
    [Test]
    public async Task Should_watch_a_live_run_with_the_ticket_of_a_personal_access_token()
    {
        using var user = await ApiUser.SignUpAsync();
        var (_, token) = await user.CreateAccessTokenAsync("executions:read");
        var ticket = await ApiUser.LiveTicketAsync(token);
        var executionId = await user.RunWelcomeAsync(live: true);

        var refused = Assert.ThrowsAsync<HttpRequestException>(() => Watcher.ConnectAsync(TestRun.LiveA, token));
        await using var watcher = await Watcher.ConnectAsync(TestRun.LiveA, ticket);
        await watcher.SubscribeAsync(executionId);
        await TestRun.StartWorkerAsync();
        var events = await watcher.UntilCompletedAsync();

        Assert.That(refused!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "Live takes tickets, not the token itself");
        Assert.That(events.Select(e => e.GetProperty("sequence").GetInt64()), Is.EqualTo(Enumerable.Range(1, events.Count).Select(i => (long)i)));
        Assert.That(events[^1].GetProperty("status").GetString(), Is.EqualTo("Succeeded"));
    }

    [Test]
    public async Task Should_refuse_the_ticket_and_close_its_connections_once_the_token_is_revoked()
    {
        using var user = await ApiUser.SignUpAsync();
        var (id, token) = await user.CreateAccessTokenAsync("executions:read");
        var (_, otherToken) = await user.CreateAccessTokenAsync("executions:read");
        var ticket = await ApiUser.LiveTicketAsync(token);
        await using var onA = await Watcher.ConnectAsync(TestRun.LiveA, ticket);
        await using var onB = await Watcher.ConnectAsync(TestRun.LiveB, ticket, skipNegotiation: true);
        await using var otherTokens = await Watcher.ConnectAsync(TestRun.LiveA, await ApiUser.LiveTicketAsync(otherToken));

        await user.RevokeAccessTokenAsync(id);

        await Task.WhenAll(onA.Closed, onB.Closed).WaitAsync(TimeSpan.FromSeconds(30));
        var refused = Assert.ThrowsAsync<HttpRequestException>(() => Watcher.ConnectAsync(TestRun.LiveA, ticket));
        Assert.That(refused!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.ThrowsAsync<WebSocketException>(() => Watcher.ConnectAsync(TestRun.LiveB, ticket, skipNegotiation: true));
        Assert.That(otherTokens.Connection.State, Is.EqualTo(HubConnectionState.Connected), "another token's ticket stays");
    }
}
