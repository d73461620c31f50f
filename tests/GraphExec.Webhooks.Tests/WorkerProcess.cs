using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GraphExec.Testing;

namespace GraphExec.Webhooks.Tests;

/// <summary>The built Worker, run as a child process on the run's isolated servers; disposing kills it (by its own PID).</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private WorkerProcess(Process process) => _process = process;

    /// <summary>What the Worker wrote, for a failing test's message.</summary>
    public string Output => string.Join(Environment.NewLine, _output.TakeLast(40));

    /// <summary>Starts the Worker and waits until <c>/health</c> answers 200: migrated and connected, its queues declared.</summary>
    public static async Task<WorkerProcess> StartAsync()
    {
        var port = FreePort();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release" : "Debug";
        var dll = Path.Combine(RepositoryRoot.Find(), "GraphExec.Worker", "bin", configuration, "net10.0", "GraphExec.Worker.dll");
        var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Cache__KeyPrefix"] = RealServersSetUp.Isolated.CacheKeyPrefix;
        foreach (var (name, value) in RealServersSetUp.Isolated.ConnectionStrings)
        {
            start.Environment[$"ConnectionStrings__{name}"] = value;
        }

        var worker = new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("The Worker did not start."));
        worker._process.OutputDataReceived += (_, line) => worker._output.Enqueue(line.Data ?? "");
        worker._process.ErrorDataReceived += (_, line) => worker._output.Enqueue(line.Data ?? "");
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !worker._process.HasExited)
        {
            try
            {
                using var health = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
                if (health.IsSuccessStatusCode)
                {
                    return worker;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow to answer while it starts.
            }

            await Task.Delay(250);
        }

        var output = worker.Output;
        worker.Dispose();
        throw new InvalidOperationException($"The Worker did not become healthy within 60 s:{Environment.NewLine}{output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}
