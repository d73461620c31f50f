using System.Net;
using System.Net.Sockets;
using GraphExec.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GraphExec.Api.Tests;

/// <summary><c>/health</c> follows each real dependency; <c>/alive</c> only the process.</summary>
public sealed class Reporting_health
{
    /// <summary>Long enough for the bus to connect on a loaded machine; polling ends as soon as it has.</summary>
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The health checks that follow each dependency, by its connection name.</summary>
    private static readonly Dictionary<string, string[]> ChecksOf = new()
    {
        ["graphexec"] = ["GraphExecDbContext", "database-schema"],
        ["rabbitmq"] = ["masstransit-bus"],
        ["redis"] = ["StackExchange.Redis"],
    };

    [Test]
    public async Task Should_be_healthy_when_every_dependency_answers()
    {
        var api = TestRun.Api;
        using var client = api.CreateClient();

        var report = await SettledReportAsync(api, failing: []);

        Assert.That(report.Entries.Keys, Is.SupersetOf(ChecksOf.Values.SelectMany(checks => checks)));
        Assert.That(report.Status, Is.EqualTo(HealthStatus.Healthy));
        Assert.That(await StatusOfAsync(client, "/health"), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await StatusOfAsync(client, "/alive"), Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("graphexec")]
    [TestCase("rabbitmq")]
    [TestCase("redis")]
    public async Task Should_be_unhealthy_but_alive_when_a_dependency_is_unreachable(string dependency)
    {
        await using var api = new ApiApp(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{dependency}"] = UnreachableConnectionString(dependency, ClosedPort()),
        });
        using var client = api.CreateClient();

        var report = await SettledReportAsync(api, failing: ChecksOf[dependency]);

        Assert.That(ChecksOf[dependency].Select(check => report.Entries[check].Status), Has.All.EqualTo(HealthStatus.Unhealthy));
        Assert.That(await StatusOfAsync(client, "/health"), Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await StatusOfAsync(client, "/alive"), Is.EqualTo(HttpStatusCode.OK));
    }

    /// <summary>
    /// Polls until every check but the <paramref name="failing"/> ones is healthy (the bus connects in the background), so that
    /// an unhealthy result can only come from the dependency under test.
    /// </summary>
    private static Task<HealthReport> SettledReportAsync(WebApplicationFactory<Program> api, string[] failing)
    {
        var health = api.Services.GetRequiredService<HealthCheckService>();
        return Poll.UntilAsync(
            () => health.CheckHealthAsync(),
            report => report.Entries.All(entry => failing.Contains(entry.Key) || entry.Value.Status == HealthStatus.Healthy),
            failing.Length == 0 ? "every check to be healthy" : $"every check but {string.Join(", ", failing)} to be healthy",
            SettleTimeout,
            report => string.Join(", ", report.Entries.Select(entry => $"{entry.Key} {entry.Value.Status}")));
    }

    private static async Task<HttpStatusCode> StatusOfAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    private static string UnreachableConnectionString(string dependency, int port) => dependency switch
    {
        "graphexec" => $"Host=127.0.0.1;Port={port};Database=graphexec;Username=nobody;Password=nothing;Timeout=2",
        "rabbitmq" => $"amqp://nobody:nothing@127.0.0.1:{port}/",
        "redis" => $"127.0.0.1:{port},abortConnect=false,connectTimeout=500,connectRetry=1,asyncTimeout=1000,syncTimeout=1000",
        _ => throw new ArgumentOutOfRangeException(nameof(dependency)),
    };

    /// <summary>A loopback port that nothing listens on: bound by us, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
