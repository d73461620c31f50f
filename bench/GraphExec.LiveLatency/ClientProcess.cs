using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GraphExec.LiveLatency;

/// <summary>
/// The bench run again as <c>--client hub source parallelism</c>: it opens its share of the held connections from a
/// loopback address of its own (each address has its own ephemeral ports, each process its own open-files limit), keeps
/// them alive with the protocol's pings, and talks to the bench in lines. In: the token, one execution id per line,
/// <c>end</c>; then <c>go</c>; then <c>status</c> as often as wanted; end of input closes everything. Out: <c>ready</c>;
/// <c>subscribed {count} {failed} {first start, Unix ms} {last subscribed, Unix ms} {first error}</c>; <c>open {count}</c>
/// per <c>status</c>.
/// </summary>
public static class ClientProcess
{
    public const string Argument = "--client";

    /// <summary>Half the server's 30 s client timeout, as the SignalR clients do.</summary>
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(Uri hub, IPAddress source, int parallelism)
    {
        var token = await Console.In.ReadLineAsync() ?? throw new InvalidOperationException("No token on the input.");
        var executions = new List<Guid>();
        while (await Console.In.ReadLineAsync() is { } line && line != "end")
        {
            executions.Add(Guid.Parse(line));
        }

        Console.WriteLine("ready");
        if (await Console.In.ReadLineAsync() != "go")
        {
            return;
        }

        using var invoker = new HttpMessageInvoker(From(source));
        var sockets = new ConcurrentBag<HubSocket>();
        using var stop = new CancellationTokenSource();
        var pings = PingAsync(sockets, stop.Token);

        var failed = 0;
        string? firstError = null;
        var started = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(executions, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (executionId, cancellationToken) =>
        {
            try
            {
                var socket = await HubSocket.ConnectAsync(hub, token, invoker, cancellationToken);
                try
                {
                    await socket.SubscribeAsync(executionId, cancellationToken);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }

                sockets.Add(socket);
                _ = socket.DrainAsync();
            }
            catch (Exception exception)
            {
                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstError, exception.GetType().Name + ": " + exception.Message, null);
            }
        });
        var finished = DateTimeOffset.UtcNow;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"subscribed {sockets.Count} {failed} {started.ToUnixTimeMilliseconds()} {finished.ToUnixTimeMilliseconds()} {firstError?.ReplaceLineEndings(" ")}"));

        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command == "status")
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"open {sockets.Count(socket => !socket.IsClosed)}"));
            }
        }

        await stop.CancelAsync();
        await pings;
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }

    /// <summary>Connections from <paramref name="source"/>, so that the ephemeral ports of 127.0.0.1 are not all there is.</summary>
    private static SocketsHttpHandler From(IPAddress source) => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                // Ports of the previous run may still be in TIME_WAIT.
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    private static async Task PingAsync(ConcurrentBag<HubSocket> sockets, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PingInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var socket in sockets)
                {
                    await socket.PingAsync();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Closing.
        }
    }
}
