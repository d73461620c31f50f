using System.Diagnostics;
using System.Globalization;
using GraphExec.Testing;

namespace GraphExec.Load.Faults;

/// <summary>
/// Load with faults: on the servers of <c>eng/servers.sh</c> (a set of its own, see <c>bench/fault.sh</c>, since
/// restarting them would break anyone else using them), starts the services as child processes, fires the triggers at
/// the given rate, SIGKILLs a worker every few seconds, restarts RabbitMQ at a third of the time and PostgreSQL at two
/// thirds, then waits for every execution to end and checks the database.
/// </summary>
public sealed class FaultRun(FaultOptions options)
{
    /// <summary>How long a delivery that failed during a fault is sent again, as a sender following the spec does.</summary>
    private static readonly TimeSpan RetryFor = TimeSpan.FromMinutes(3);

    private readonly List<string> _faults = [];
    private readonly Stopwatch _clock = new();

    public async Task<(LoadReport Report, FaultVerdict Verdict)> RunAsync(CancellationToken cancellationToken)
    {
        await using var servers = await TestServers.StartAsync(cancellationToken);
        await using var isolated = await servers.IsolateAsync("fault", cancellationToken);
        using var services = await FaultServices.StartAsync(isolated, options.Workers);
        await FaultCheck.InstallAuditAsync(isolated.Connections.Database);

        var load = options.Load with { Api = services.Api.BaseAddress, Hooks = services.Webhooks.BaseAddress };
        var (report, triggers) = await new LoadRun(load, RetryFor, options.Triggers).RunAsync(cancellationToken, during: stop =>
        {
            _clock.Start();
            return InjectAsync(services, stop);
        });
        var verdict = await FaultCheck.RunAsync(isolated.Connections.Database, triggers, services.WorkersKilled, _faults);
        if (!verdict.Clean)
        {
            Console.WriteLine(services.Output);
        }

        return (report, verdict);
    }

    private async Task InjectAsync(FaultServices services, CancellationToken stop)
    {
        var duration = options.Load.Duration;
        var replacements = new List<Task>();
        var kills = KillWorkersAsync(services, replacements, stop);
        await RestartAtAsync("rabbitmq", duration / 3, stop);
        await RestartAtAsync("postgres", duration * 2 / 3, stop);
        await kills;
        await Task.WhenAll(replacements);
        _faults.Insert(0, $"{services.WorkersKilled} workers SIGKILLed (one every {options.KillEvery.TotalSeconds:0} s while another ran, each replaced)");
    }

    private async Task KillWorkersAsync(FaultServices services, List<Task> replacements, CancellationToken stop)
    {
        using var every = new PeriodicTimer(options.KillEvery);
        try
        {
            while (await every.WaitForNextTickAsync(stop))
            {
                if (services.ReplaceAWorker() is { } replacement)
                {
                    replacements.Add(replacement);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Firing is over; the drain runs without faults.
        }
    }

    private async Task RestartAtAsync(string server, TimeSpan at, CancellationToken stop)
    {
        var wait = at - _clock.Elapsed;
        try
        {
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }

        await RestartAsync(server, _clock.Elapsed);
    }

    private async Task RestartAsync(string server, TimeSpan at)
    {
        var clock = Stopwatch.StartNew();
        using var restart = Process.Start(new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Find(), "eng", "servers.sh"), "restart", server])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("eng/servers.sh did not start.");
        var output = await restart.StandardOutput.ReadToEndAsync() + await restart.StandardError.ReadToEndAsync();
        await restart.WaitForExitAsync();
        if (restart.ExitCode != 0)
        {
            throw new InvalidOperationException($"eng/servers.sh restart {server} failed: {output}");
        }

        var fault = string.Create(CultureInfo.InvariantCulture, $"{server} restarted at {at.TotalSeconds:0} s (down and up again in {clock.Elapsed.TotalSeconds:0.0} s)");
        _faults.Add(fault);
        Console.WriteLine(fault);
    }
}
