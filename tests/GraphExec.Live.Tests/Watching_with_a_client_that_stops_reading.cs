using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.Live.Tests;

/// <summary>
/// A client that subscribes to a run of several MiB of events and then reads nothing (its socket's receive buffer a few KiB,
/// like a frozen browser tab on a slow link), next to a client that watches another run on the same replica.
/// </summary>
public sealed class Watching_with_a_client_that_stops_reading
{
    /// <summary>
    /// The size of the value each of the chain's nodes passes on: just under the 64 KiB inline threshold, the largest a
    /// live event carries whole (a larger one goes as its reference of about 1 KiB); 120 nodes make about 7 MiB of events.
    /// </summary>
    private const int ValueLength = 60 * 1024;

    private const int Chain = 120;

    private ApiUser _user = null!;

    [OneTimeSetUp]
    public async Task SignUpAsync()
    {
        _user = await ApiUser.SignUpAsync();
        await TestRun.StartWorkerAsync();
    }

    [OneTimeTearDown]
    public void SignOut() => _user.Dispose();

    [Test]
    public async Task Should_be_closed_while_another_client_of_the_replica_gets_every_event()
    {
        var bigRun = await _user.RunAsync(await _user.SaveGraphAsync(BigValues()), inputs: new { });
        using var stalled = await StalledClient.SubscribeAsync(TestRun.LiveA, _user.Token, bigRun);

        await using var watcher = await Watcher.ConnectAsync(TestRun.LiveA, _user.Token);
        await watcher.SubscribeAsync(await _user.RunWelcomeAsync(live: true));
        var events = await watcher.UntilCompletedAsync();

        Assert.That(events.Select(e => e.GetProperty("sequence").GetInt32()), Is.EqualTo(Enumerable.Range(1, 12)));
        await ClosedAsync(TestRun.LiveA);
        Assert.That(await stalled.ReadUntilClosedAsync(), Is.Not.Null, "the server closed the stalled connection");
    }

    [Test]
    public async Task Should_resume_after_the_last_event_it_read_when_it_reconnects()
    {
        var bigRun = await _user.RunAsync(await _user.SaveGraphAsync(BigValues()), inputs: new { });
        List<long> read;
        using (var stalled = await StalledClient.SubscribeAsync(TestRun.LiveB, _user.Token, bigRun))
        {
            await ClosedAsync(TestRun.LiveB);
            read = await stalled.ReadUntilClosedAsync() ?? [];
        }

        await using var watcher = await Watcher.ConnectAsync(TestRun.LiveB, _user.Token);
        var last = read.Count == 0 ? 0 : read[^1];
        await watcher.SubscribeAsync(bigRun, afterSequence: last);
        var resumed = await watcher.UntilCompletedAsync();

        // What it read before the close, then the rest: ExecutionStarted, two events for each node, ExecutionCompleted.
        const int total = 1 + 2 * (Chain + 2) + 1;
        Assert.That(read, Is.EqualTo(Enumerable.Range(1, read.Count).Select(i => (long)i)));
        Assert.That(resumed.Select(e => e.GetProperty("sequence").GetInt64()), Is.EqualTo(Enumerable.Range((int)last + 1, total - (int)last).Select(i => (long)i)));
    }

    private static Task ClosedAsync(ServiceProcess live) =>
        Poll.UntilAsync(
            () => Task.FromResult(live.Output),
            output => output.Contains("(the client reads nothing)", StringComparison.Ordinal),
            "Live to close the connection that reads nothing");

    /// <summary>An input whose default is <see cref="ValueLength"/> characters, passed down a chain of templates, then output.</summary>
    private static string BigValues()
    {
        var nodes = new List<string> { $$"""{ "id": "who", "block": "input", "config": { "name": "who", "default": "{{new string('x', ValueLength)}}" } }""" };
        var edges = new List<string>();
        var previous = "who.value";
        for (var node = 1; node <= Chain; node++)
        {
            nodes.Add($$"""{ "id": "t{{node}}", "block": "template", "config": { "template": "{{"{{v}}"}}" } }""");
            edges.Add($$"""{ "from": "{{previous}}", "to": "t{{node}}.v" }""");
            previous = $"t{node}.text";
        }

        nodes.Add("""{ "id": "out", "block": "output", "config": { "name": "text" } }""");
        edges.Add($$"""{ "from": "{{previous}}", "to": "out.value" }""");
        return $$"""{ "name": "Big values", "nodes": [{{string.Join(", ", nodes)}}], "edges": [{{string.Join(", ", edges)}}] }""";
    }

    /// <summary>A raw WebSocket speaking the hub's JSON protocol that subscribes once and then reads nothing.</summary>
    private sealed class StalledClient : IDisposable
    {
        private const char RecordSeparator = '\u001e';

        private readonly ClientWebSocket _socket;
        private readonly HttpMessageInvoker _invoker;

        private StalledClient(ClientWebSocket socket, HttpMessageInvoker invoker) => (_socket, _invoker) = (socket, invoker);

        public static async Task<StalledClient> SubscribeAsync(ServiceProcess live, string token, Guid executionId)
        {
            // A receive buffer of a few KiB: the server's writes back up after its own socket buffer is full.
            var invoker = new HttpMessageInvoker(new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            });
            var socket = new ClientWebSocket();
            var hub = new UriBuilder(live.BaseAddress) { Scheme = "ws", Path = "hubs/executions", Query = $"access_token={token}" }.Uri;
            await socket.ConnectAsync(hub, invoker, CancellationToken.None);
            await SendAsync(socket, """{"protocol":"json","version":1}""");
            await SendAsync(socket, $$"""{"type":1,"invocationId":"1","target":"Subscribe","arguments":["{{executionId}}",0]}""");
            return new StalledClient(socket, invoker);
        }

        /// <summary>
        /// Reads what the server sent until it closes the connection, and returns the sequences of the events among it; null
        /// when the connection is still open after a minute.
        /// </summary>
        public async Task<List<long>?> ReadUntilClosedAsync()
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            List<long> sequences = [];
            try
            {
                while (true)
                {
                    var received = await _socket.ReceiveAsync(buffer, patience.Token);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        return sequences;
                    }

                    message.Write(buffer, 0, received.Count);
                    if (received.EndOfMessage)
                    {
                        sequences.AddRange(EventSequences(message.ToArray()));
                        message.SetLength(0);
                    }
                }
            }
            catch (WebSocketException)
            {
                return sequences;
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        public void Dispose()
        {
            _socket.Dispose();
            _invoker.Dispose();
        }

        /// <summary>The sequences of the <c>ExecutionEvent</c> invocations among the messages of one frame.</summary>
        private static IEnumerable<long> EventSequences(byte[] frame)
        {
            foreach (var record in Encoding.UTF8.GetString(frame).Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                using var message = JsonDocument.Parse(record);
                if (message.RootElement.TryGetProperty("target", out var target) && target.GetString() == "ExecutionEvent")
                {
                    yield return message.RootElement.GetProperty("arguments")[0].GetProperty("sequence").GetInt64();
                }
            }
        }

        private static Task SendAsync(ClientWebSocket socket, string message) =>
            socket.SendAsync(Encoding.UTF8.GetBytes(message + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);
    }
}
