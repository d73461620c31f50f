using GraphExec.Core.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace GraphExec.Worker.Tests.Support;

/// <summary>The Worker hosted in the test process on the run's isolated servers, with a short lease and a small per-user cap.</summary>
public static class WorkerHost
{
    /// <summary>Short, so that takeovers happen within a test; long enough for a loaded machine to renew in time.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(4);

    public const int MaxRunningPerOwner = 3;

    /// <summary>Slots of the Worker; runs longer than <see cref="DetachAfter"/> give theirs back.</summary>
    public const int ConcurrentExecutions = 16;

    public static readonly TimeSpan DetachAfter = TimeSpan.FromSeconds(1);

    private static WebApplicationFactory<Program>? s_worker;

    public static IServiceProvider Services => (s_worker ?? throw new InvalidOperationException("The Worker is not started.")).Services;

    /// <summary>What the Worker is configured with, for a second worker process started by a test.</summary>
    public static IReadOnlyDictionary<string, string> Settings(IsolatedServers servers)
    {
        var settings = servers.ServiceSettings();
        settings["Logging:LogLevel:Default"] = "Warning";
        settings["Worker:Lease"] = Lease.ToString();
        settings["Quotas:RunningExecutions"] = MaxRunningPerOwner.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Worker:FlushInterval"] = "00:00:00.100";
        settings["Worker:ConcurrentExecutions"] = ConcurrentExecutions.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Worker:DetachAfter"] = DetachAfter.ToString();
        // The http block may call servers the tests start on this machine.
        settings["Blocks:Http:AllowList:0"] = "127.0.0.1";
        // Notification retries within a test's patience.
        settings["Notifications:FirstRetryDelay"] = "00:00:00.100";
        return settings;
    }

    public static async Task StartAsync(IsolatedServers servers) => s_worker = await StartAsync(Settings(servers));

    /// <summary>Starts a Worker in this process and waits until it is migrated and connected to the broker (its queues exist then).</summary>
    public static async Task<WebApplicationFactory<Program>> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var worker = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.ConfigureLogging(logging => logging.AddProvider(RecordedLogs.Instance).AddFilter<RecordedLogs>(null, LogLevel.Debug));
            foreach (var (name, value) in settings)
            {
                host.UseSetting(name, value);
            }
        });

        var health = worker.Services.GetRequiredService<HealthCheckService>();
        await Poll.UntilAsync(async () => (await health.CheckHealthAsync()).Status == HealthStatus.Healthy, "the Worker to become healthy");
        return worker;
    }

    public static async Task StopAsync()
    {
        if (s_worker is not null)
        {
            await s_worker.DisposeAsync();
        }
    }

    public static async Task<T> WithDatabaseAsync<T>(Func<GraphExecDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<GraphExecDbContext>());
    }
}
