using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

namespace GraphExec.Live.Tests;

/// <summary>
/// A live run of the five-node Welcome graph, watched on replica A from before it starts (the Worker starts after the
/// subscription when this fixture runs first), then on replica B after it ended.
/// </summary>
public sealed class Watching_a_live_run
{
    /// <summary>ExecutionStarted, NodeStarted and NodeCompleted for each of the five nodes, ExecutionCompleted.</summary>
    private const int EventCount = 12;

    private static readonly string[] Nodes = ["who", "greet", "wrap", "pause", "out"];

    private ApiUser _user = null!;
    private Guid _executionId;
    private List<JsonElement> _seenOnA = null!;

    [OneTimeSetUp]
    public async Task WatchOnReplicaAAsync()
    {
        _user = await ApiUser.SignUpAsync();
        _executionId = await _user.RunWelcomeAsync(live: true);
        await using var watcher = await Watcher.ConnectAsync(TestRun.LiveA, _user.Token);
        await watcher.SubscribeAsync(_executionId);
        await TestRun.StartWorkerAsync();
        _seenOnA = await watcher.UntilCompletedAsync();
    }

    [OneTimeTearDown]
    public void SignOut() => _user.Dispose();

    [Test]
    public void Should_receive_every_event_in_order_with_outputs_on_replica_a()
    {
        Assert.That(_seenOnA.Select(e => e.GetProperty("sequence").GetInt64()), Is.EqualTo(Enumerable.Range(1, EventCount).Select(i => (long)i)));
        string[] types =
        [
            "ExecutionStarted",
            .. Nodes.SelectMany(_ => new[] { "NodeStarted", "NodeCompleted" }),
            "ExecutionCompleted",
        ];
        Assert.That(_seenOnA.Select(e => e.GetProperty("type").GetString()), Is.EqualTo(types));
        Assert.That(_seenOnA.Where(e => e.TryGetProperty("nodeId", out _)).Select(e => e.GetProperty("nodeId").GetString()).Distinct(), Is.EqualTo(Nodes));
        Assert.That(_seenOnA.Select(e => e.GetProperty("executionId").GetGuid()), Is.All.EqualTo(_executionId));
        Assert.That(_seenOnA.Select(e => e.GetProperty("timestamp").GetDateTimeOffset()), Is.Ordered);

        var greeted = _seenOnA.Single(e => e.GetProperty("type").GetString() == "NodeCompleted" && e.GetProperty("nodeId").GetString() == "greet");
        Assert.That(greeted.GetProperty("status").GetString(), Is.EqualTo("Succeeded"));
        Assert.That(greeted.GetProperty("outputs").GetProperty("text").GetString(), Is.EqualTo("Hello, Ada!"));

        var completed = _seenOnA[^1];
        Assert.That(completed.GetProperty("status").GetString(), Is.EqualTo("Succeeded"));
        Assert.That(completed.GetProperty("outputs").GetProperty("welcome").GetString(), Is.EqualTo("[Hello, Ada!]"));
        Assert.That(completed.TryGetProperty("error", out _), Is.False);
    }

    [Test]
    public async Task Should_replay_the_whole_run_on_replica_b_after_it_ended()
    {
        await using var watcher = await Watcher.ConnectAsync(TestRun.LiveB, _user.Token, skipNegotiation: true);
        await watcher.SubscribeAsync(_executionId);

        var replayed = await watcher.UntilCompletedAsync();

        Assert.That(replayed.Select(e => e.GetRawText()), Is.EqualTo(_seenOnA.Select(e => e.GetRawText())));
    }

    [Test]
    public async Task Should_resume_after_the_last_sequence_seen()
    {
        await using var watcher = await Watcher.ConnectAsync(TestRun.LiveB, _user.Token);
        await watcher.SubscribeAsync(_executionId, afterSequence: 5);

        var resumed = await watcher.UntilCompletedAsync();

        Assert.That(resumed.Select(e => e.GetRawText()), Is.EqualTo(_seenOnA.Skip(5).Select(e => e.GetRawText())));
    }

    [Test]
    public async Task Should_refuse_another_users_subscription_exactly_as_an_unknown_execution()
    {
        using var stranger = await ApiUser.SignUpAsync();
        await using var watcher = await Watcher.ConnectAsync(TestRun.LiveA, stranger.Token);

        var theirs = Assert.ThrowsAsync<HubException>(() => watcher.SubscribeAsync(_executionId));
        var unknown = Assert.ThrowsAsync<HubException>(() => watcher.SubscribeAsync(Guid.CreateVersion7()));

        Assert.That(theirs!.Message, Does.Contain("There is no such execution."));
        Assert.That(theirs.Message, Is.EqualTo(unknown!.Message));
        Assert.That(watcher.Pending(), Is.Empty);
    }

    [Test]
    public async Task Should_serve_a_plain_websocket_client_without_negotiation()
    {
        using var socket = new ClientWebSocket();
        var address = new UriBuilder(TestRun.LiveA.BaseAddress)
        {
            Scheme = "ws",
            Path = "hubs/executions",
            Query = $"access_token={Uri.EscapeDataString(_user.Token)}",
        }.Uri;
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await socket.ConnectAsync(address, patience.Token);

        // The JSON hub protocol: a handshake, then invocations; every message ends with the record separator 0x1E.
        await SendAsync(socket, """{"protocol":"json","version":1}""", patience.Token);
        await SendAsync(socket, $$"""{"type":1,"invocationId":"1","target":"Subscribe","arguments":["{{_executionId}}",0]}""", patience.Token);

        List<string> events = [];
        var buffer = new StringBuilder();
        var bytes = new byte[16 * 1024];
        while (events.Count < EventCount)
        {
            var received = await socket.ReceiveAsync(bytes, patience.Token);
            buffer.Append(Encoding.UTF8.GetString(bytes, 0, received.Count));
            var text = buffer.ToString();
            var end = text.LastIndexOf('\u001e');
            if (end < 0)
            {
                continue;
            }

            buffer.Clear().Append(text[(end + 1)..]);
            foreach (var message in text[..end].Split('\u001e'))
            {
                using var document = JsonDocument.Parse(message);
                if (document.RootElement.TryGetProperty("target", out var target) && target.GetString() == "ExecutionEvent")
                {
                    events.Add(document.RootElement.GetProperty("arguments")[0].GetRawText());
                }
            }
        }

        Assert.That(events, Is.EqualTo(_seenOnA.Select(e => e.GetRawText())));
    }

    private static Task SendAsync(ClientWebSocket socket, string message, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message + '\u001e'), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
}
