using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GraphExec.Testing;

/// <summary>
/// A built service of this repository (<c>dotnet GraphExec.Worker.dll</c>, etc., of the caller's configuration) as a
/// child process on a free loopback port, configured by settings such as <see cref="IsolatedServers.ConnectionStrings"/>;
/// disposing kills it, by its own PID.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    /// <summary>Migrating and connecting on a loaded machine; a service that takes longer is broken.</summary>
    private static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(string name, Process process, Uri baseAddress) => (Name, _process, BaseAddress) = (name, process, baseAddress);

    /// <summary>The project, e.g. <c>GraphExec.Worker</c>.</summary>
    public string Name { get; }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    /// <summary>What the service wrote, for a failing test's message.</summary>
    public string Output => string.Join(Environment.NewLine, _output.TakeLast(40));

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="project"/> (e.g. <c>GraphExec.Worker</c>) with <paramref name="settings"/> (configuration
    /// keys such as <c>ConnectionStrings:graphexec</c>) and waits until <c>/health</c> answers 200: migrated and
    /// connected, its queues declared.
    /// </summary>
    /// <param name="startTimeout">How long it may take to answer healthy; a minute when not given.</param>
    public static async Task<ServiceProcess> StartAsync(string project, IReadOnlyDictionary<string, string> settings, TimeSpan? startTimeout = null)
    {
        var port = FreePort();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var directory = Path.Combine(RepositoryRoot.Find(), project, "bin", configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(directory, project + ".dll")])
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

        var service = new ServiceProcess(
            project,
            Process.Start(start) ?? throw new InvalidOperationException($"{project} did not start."), new Uri($"http://127.0.0.1:{port}"));
        service._process.OutputDataReceived += (_, line) => service.Keep(line.Data);
        service._process.ErrorDataReceived += (_, line) => service.Keep(line.Data);
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();

        try
        {
            using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            await Poll.UntilAsync(
                () => AnswersHealthyAsync(client),
                answered => answered || service.HasExited,
                $"{project} to become healthy",
                startTimeout ?? DefaultStartTimeout,
                _ => Environment.NewLine + service.Output);
            if (service.HasExited)
            {
                throw new InvalidOperationException($"{project} exited while starting:{Environment.NewLine}{service.Output}");
            }

            return service;
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    /// <summary>Whether <c>/health</c> answers 200 (a service that is still starting may not answer at all).</summary>
    private static async Task<bool> AnswersHealthyAsync(HttpClient client)
    {
        try
        {
            using var health = await client.GetAsync("/health");
            return health.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
            return false;
        }
        catch (TaskCanceledException)
        {
            // Slow to answer while it starts.
            return false;
        }
    }

    /// <summary>Keeps the last lines only: a long run must not hold all it ever wrote.</summary>
    private void Keep(string? line)
    {
        _output.Enqueue(line ?? "");
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
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
