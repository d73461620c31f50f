using System.Security.Cryptography;
using GraphExec.Testing;

namespace GraphExec.Load.Faults;

/// <summary>
/// The services of a fault run as child processes (Release builds) on the run's own database, virtual host and key
/// prefix, so that this harness knows their PIDs and ends only them. Workers get a short lease, so that the runs of a
/// killed worker are taken over within seconds.
/// </summary>
public sealed class FaultServices : IDisposable
{
    /// <summary>Long enough for a server's restart under load (RabbitMQ took 44 s at 400 triggers/s on 2 cores) and then some.</summary>
    private static readonly TimeSpan ReplacementStartTimeout = TimeSpan.FromMinutes(3);

    private readonly Dictionary<string, string> _settings;
    private readonly List<ServiceProcess> _workers = [];
    private readonly List<ServiceProcess> _others = [];

    private FaultServices(Dictionary<string, string> settings) => _settings = settings;

    public ServiceProcess Api => _others.Single(s => s.Name == "GraphExec.Api");

    public ServiceProcess Webhooks => _others.Single(s => s.Name == "GraphExec.Webhooks");

    public int WorkersKilled { get; private set; }

    /// <summary>What each service still running wrote last, for a run that went wrong.</summary>
    public string Output => string.Join(Environment.NewLine, _others.Concat(_workers).ToList()
        .Select(s => $"--- {s.Name} (pid {s.Id}{(s.HasExited ? ", exited" : "")}) ---{Environment.NewLine}{s.Output}"));

    public static async Task<FaultServices> StartAsync(IsolatedServers servers, int workers)
    {
        var settings = servers.ServiceSettings();
        settings["Logging:LogLevel:Default"] = "Warning";
        settings["Jwt:SigningKey"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        settings["Webhooks:PermitsPerSecond"] = "100000";
        settings["Webhooks:Burst"] = "100000";
        settings["Worker:Lease"] = "00:00:10";
        settings["Sweeper:Threshold"] = "00:00:15";
        settings["Dashboard:Password"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var services = new FaultServices(settings);
        try
        {
            var webhooks = await services.StartAsync("GraphExec.Webhooks", services._others);
            settings["Webhooks:PublicBaseUrl"] = webhooks.BaseAddress.ToString();
            await services.StartAsync("GraphExec.Api", services._others);
            await services.StartAsync("GraphExec.Scheduler", services._others);
            for (var i = 0; i < workers; i++)
            {
                await services.StartAsync("GraphExec.Worker", services._workers);
            }

            return services;
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }

    /// <summary>
    /// SIGKILLs the oldest worker, as when its machine dies, and starts a new one in its place (which takes a while:
    /// the caller need not wait). Kills only while another worker runs, so that the runs always have somewhere to go.
    /// </summary>
    public Task? ReplaceAWorker()
    {
        ServiceProcess victim;
        lock (_workers)
        {
            if (_workers.Count < 2)
            {
                return null;
            }

            victim = _workers[0];
            _workers.RemoveAt(0);
        }

        victim.Kill();
        victim.Dispose();
        WorkersKilled++;
        return StartAsync("GraphExec.Worker", _workers);
    }

    private async Task<ServiceProcess> StartAsync(string project, List<ServiceProcess> into)
    {
        // A replacement may start while a server is down for its restart, and only answers healthy once it is back.
        var service = await ServiceProcess.StartAsync(project, _settings, ReplacementStartTimeout);
        lock (into)
        {
            into.Add(service);
        }

        return service;
    }

    public void Dispose()
    {
        foreach (var service in _workers.Concat(_others).ToList())
        {
            service.Dispose();
        }
    }
}
