using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
namespace GraphExec.Testing;

/// <summary>
/// The built Worker (<c>dotnet GraphExec.Worker.dll</c> of this test's configuration) as a child process, configured
/// by settings such as <see cref="IsolatedServers.ConnectionStrings"/>; disposing kills it, by its own PID.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private WorkerProcess(Process process) => _process = process;

    /// <summary>What the Worker wrote, for a failing test's message.</summary>
    public string Output => string.Join(Environment.NewLine, _output.TakeLast(40));

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts the Worker with <paramref name="settings"/> (configuration keys such as <c>ConnectionStrings:graphexec</c>)
    /// and waits until <c>/health</c> answers 200: migrated and connected, its queues declared.
    /// </summary>
    public static async Task<WorkerProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var directory = Path.Combine(RepositoryRoot.Find(), "GraphExec.Worker", "bin", configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(directory, "GraphExec.Worker.dll")])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings)
        {
            start.Environment[name.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";

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

    /// <summary>SIGKILL: the process gets no chance to finish anything, as when a machine dies; returns once it is gone.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
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
