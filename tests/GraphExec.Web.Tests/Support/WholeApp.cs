using Aspire.Hosting;
using GraphExec.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GraphExec.Web.Tests.Support;

/// <summary>
/// The whole app from the AppHost in local mode, on the run's own database and virtual host of the real servers, as
/// the AppHost tests start it. Ports are random, so several runs can share the machine.
/// </summary>
public sealed class WholeApp : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(5);
    private static readonly string[] Services = ["api", "webhooks", "scheduler", "worker", "live", "web"];

    private readonly DistributedApplication _app;

    private WholeApp(DistributedApplication app, Uri web)
    {
        _app = app;
        Web = web;
    }

    public Uri Web { get; }

    public static async Task<WholeApp> StartAsync()
    {
        using var timeout = new CancellationTokenSource(StartupTimeout);
        // The browser tests schedule a graph every second, below the default quota of a minute.
        var arguments = new List<string> { "--GraphExec:Infrastructure=local", "--Quotas:ScheduleMinimumInterval=00:00:01" };
        arguments.AddRange(RealServersSetUp.Isolated.AppHostArguments());

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GraphExec_AppHost>([.. arguments], timeout.Token);

        // The services' warnings and errors go to the test output, so that a failing page can be explained.
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Aspire.Hosting", LogLevel.Error).AddSimpleConsole());
        var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        foreach (var service in Services)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
        }

        return new WholeApp(app, app.GetEndpoint("web", "http"));
    }

    public HttpClient CreateHttpClient(string service) => _app.CreateHttpClient(service);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
