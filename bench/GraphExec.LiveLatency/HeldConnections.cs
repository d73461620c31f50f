using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace GraphExec.LiveLatency;

/// <summary>
/// Subscribed connections held by client processes of their own (<see cref="ClientProcess"/>), each opening at most
/// <c>perProcess</c> from its own loopback address, all started together so that the opening rate is the server's.
/// Disposing closes their input, which closes the connections, and kills a process that does not end by itself.
/// </summary>
public sealed class HeldConnections : IAsyncDisposable
{
    private readonly List<Process> _clients;

    private HeldConnections(List<Process> clients) => _clients = clients;

    public int Subscribed { get; private set; }

    public int Failed { get; private set; }

    /// <summary>From the first connection started to the last subscribed, over all the processes.</summary>
    public TimeSpan Elapsed { get; private set; }

    public string? FirstError { get; private set; }

    public static async Task<HeldConnections> OpenAsync(
        Uri hub, string token, IReadOnlyList<Guid> executions, int perProcess, int parallelism)
    {
        var shares = executions.Chunk(perProcess).ToList();
        var held = new HeldConnections([]);
        try
        {
            foreach (var (share, index) in shares.Select((share, index) => (share, index)))
            {
                // 127.0.0.2, 127.0.0.3, …: all of 127/8 is loopback on Linux.
                var source = new IPAddress([127, 0, 0, (byte)(2 + index)]);
                var client = Start(hub, source, Math.Max(1, parallelism / shares.Count));
                held._clients.Add(client);
                await client.StandardInput.WriteLineAsync(token);
                foreach (var executionId in share)
                {
                    await client.StandardInput.WriteLineAsync(executionId.ToString());
                }

                await client.StandardInput.WriteLineAsync("end");
                await client.StandardInput.FlushAsync();
            }

            foreach (var client in held._clients)
            {
                await ExpectAsync(client, "ready");
            }

            foreach (var client in held._clients)
            {
                await client.StandardInput.WriteLineAsync("go");
                await client.StandardInput.FlushAsync();
            }

            var first = long.MaxValue;
            var last = long.MinValue;
            foreach (var client in held._clients)
            {
                var fields = (await ExpectAsync(client, "subscribed")).Split(' ', 6);
                held.Subscribed += int.Parse(fields[1], CultureInfo.InvariantCulture);
                held.Failed += int.Parse(fields[2], CultureInfo.InvariantCulture);
                first = Math.Min(first, long.Parse(fields[3], CultureInfo.InvariantCulture));
                last = Math.Max(last, long.Parse(fields[4], CultureInfo.InvariantCulture));
                held.FirstError ??= fields.Length > 5 && fields[5].Length > 0 ? fields[5] : null;
            }

            held.Elapsed = TimeSpan.FromMilliseconds(last - first);
            return held;
        }
        catch
        {
            await held.DisposeAsync();
            throw;
        }
    }

    /// <summary>How many of the subscribed connections are still open (the server closed none, the pings kept them).</summary>
    public async Task<int> CountOpenAsync()
    {
        var open = 0;
        foreach (var client in _clients)
        {
            await client.StandardInput.WriteLineAsync("status");
            await client.StandardInput.FlushAsync();
            open += int.Parse((await ExpectAsync(client, "open")).Split(' ')[1], CultureInfo.InvariantCulture);
        }

        return open;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.StandardInput.Close();
        }

        foreach (var client in _clients)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await client.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                client.Kill();
            }

            client.Dispose();
        }
    }

    private static Process Start(Uri hub, IPAddress source, int parallelism)
    {
        // This very program, run by the same host: dotnet GraphExec.LiveLatency.dll --client ….
        var start = new ProcessStartInfo("dotnet",
            [typeof(HeldConnections).Assembly.Location, ClientProcess.Argument, hub.ToString(), source.ToString(),
             parallelism.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        return Process.Start(start) ?? throw new InvalidOperationException("A client process did not start.");
    }

    private static async Task<string> ExpectAsync(Process client, string keyword)
    {
        var line = await client.StandardOutput.ReadLineAsync()
            ?? throw new InvalidOperationException($"Client process {client.Id} ended before it answered {keyword}.");
        return line.StartsWith(keyword, StringComparison.Ordinal)
            ? line
            : throw new InvalidOperationException($"Client process {client.Id} answered '{line}' instead of {keyword}.");
    }
}
