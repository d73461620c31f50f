using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace GraphExec.LiveLatency;

/// <summary>
/// A hub connection as a bare WebSocket that speaks SignalR's JSON protocol itself (handshake, one invocation, pings), so
/// that thousands of them cost the client little: no negotiate, no hub connection object, no per-connection timers.
/// </summary>
public sealed class HubSocket : IDisposable
{
    private const byte RecordSeparator = 0x1E;

    private static readonly byte[] Handshake = Record("""{"protocol":"json","version":1}""");
    private static readonly byte[] Ping = Record("""{"type":6}""");

    private readonly ClientWebSocket _socket = new();
    private readonly MemoryStream _pending = new();
    private readonly byte[] _buffer = new byte[256];
    private int _closed;

    private HubSocket()
    {
        // The protocol's own pings keep the connection alive; WebSocket pings would only add frames.
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    /// <summary>Whether the server closed the connection, or reading it failed, since it was subscribed.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) == 1;

    /// <summary>Opens the WebSocket at <paramref name="hub"/> (a direct GET, no negotiate) and completes the handshake.</summary>
    public static async Task<HubSocket> ConnectAsync(Uri hub, string token, HttpMessageInvoker invoker, CancellationToken cancellationToken)
    {
        var connection = new HubSocket();
        try
        {
            var uri = new UriBuilder(hub) { Scheme = hub.Scheme == "https" ? "wss" : "ws", Query = "access_token=" + Uri.EscapeDataString(token) }.Uri;
            await connection._socket.ConnectAsync(uri, invoker, cancellationToken);
            await connection._socket.SendAsync(Handshake, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            using var answer = await connection.ReadRecordAsync(cancellationToken);
            if (answer.RootElement.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"The handshake was refused: {error.GetString()}");
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Invokes <c>Subscribe(executionId, 0)</c> and waits for its completion.</summary>
    public async Task SubscribeAsync(Guid executionId, CancellationToken cancellationToken)
    {
        var invocation = Record($$"""{"type":1,"invocationId":"1","target":"Subscribe","arguments":["{{executionId}}",0]}""");
        await _socket.SendAsync(invocation, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        while (true)
        {
            using var message = await ReadRecordAsync(cancellationToken);
            var root = message.RootElement;
            if (root.TryGetProperty("type", out var type) && type.GetInt32() == 3)
            {
                if (root.TryGetProperty("error", out var error))
                {
                    throw new InvalidOperationException($"Subscribe failed: {error.GetString()}");
                }

                return;
            }

            if (root.TryGetProperty("type", out type) && type.GetInt32() == 7)
            {
                throw new InvalidOperationException($"The server closed the connection: {message.RootElement}");
            }
        }
    }

    /// <summary>Reads and drops what the server sends (its pings) until the connection closes.</summary>
    public async Task DrainAsync()
    {
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(_buffer.AsMemory(), CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed under the read.
        }

        Volatile.Write(ref _closed, 1);
    }

    /// <summary>The client's keep-alive: without a message for 30 s the server drops the connection.</summary>
    public async Task PingAsync()
    {
        if (IsClosed)
        {
            return;
        }

        try
        {
            await _socket.SendAsync(Ping, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException)
        {
            Volatile.Write(ref _closed, 1);
        }
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>The next protocol message, from what was left of the last frame or from new ones.</summary>
    private async Task<JsonDocument> ReadRecordAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var pending = _pending.GetBuffer().AsMemory(0, (int)_pending.Length);
            var end = pending.Span.IndexOf(RecordSeparator);
            if (end >= 0)
            {
                var message = JsonDocument.Parse(pending[..end]);
                var rest = pending[(end + 1)..].ToArray();
                _pending.SetLength(0);
                _pending.Write(rest);
                return message;
            }

            var received = await _socket.ReceiveAsync(_buffer.AsMemory(), cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"The server closed the connection: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            }

            _pending.Write(_buffer, 0, received.Count);
        }
    }

    private static byte[] Record(string json) => [.. Encoding.UTF8.GetBytes(json), RecordSeparator];
}
