using System.Net;
using System.Net.Sockets;

namespace GraphExec.Testing;

/// <summary>
/// A TCP load balancer on 127.0.0.1 without sticky sessions: each new connection goes to the next of the backends in
/// turn, the way a cloud load balancer or the AppHost's endpoint proxy spreads them over replicas. So a client's negotiate
/// request and its WebSocket usually reach different replicas. <see cref="DropAll"/> cuts every connection at once, as a
/// network fault or a restarted balancer would.
/// </summary>
public sealed class RoundRobinProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri[] _backends;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private int _next;

    public RoundRobinProxy(params Uri[] backends)
    {
        _backends = backends;
        ConnectionsPerBackend = new int[backends.Length];
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri BaseAddress { get; }

    /// <summary>How many connections went to each backend, in the order given.</summary>
    public int[] ConnectionsPerBackend { get; }

    /// <summary>Closes every connection made so far; new ones are still accepted.</summary>
    public void DropAll()
    {
        lock (_lock)
        {
            foreach (var client in _open)
            {
                // A reset rather than an orderly close, as when a network path breaks.
                if (client.Client is { } socket)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }

                client.Dispose();
            }

            _open.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropAll();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                return;
            }

            var index = Interlocked.Increment(ref _next) % _backends.Length;
            Interlocked.Increment(ref ConnectionsPerBackend[index]);
            _ = RelayAsync(inbound, _backends[index]);
        }
    }

    private async Task RelayAsync(TcpClient inbound, Uri backend)
    {
        using var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(backend.Host, backend.Port, _stop.Token);
            Track(inbound, outbound);
            using var forward = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = inbound.GetStream().CopyToAsync(outbound.GetStream(), forward.Token);
            var down = outbound.GetStream().CopyToAsync(inbound.GetStream(), forward.Token);
            await Task.WhenAny(up, down);
            await forward.CancelAsync();
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // One side went away; the other follows.
        }
        finally
        {
            inbound.Dispose();
        }
    }

    private void Track(params TcpClient[] clients)
    {
        lock (_lock)
        {
            _open.RemoveAll(client => !client.Connected);
            _open.AddRange(clients);
        }
    }
}
