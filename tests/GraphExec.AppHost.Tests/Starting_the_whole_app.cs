using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using GraphExec.Load;
using GraphExec.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GraphExec.AppHost.Tests;

/// <summary>The AppHost in local mode, on the run's own database and virtual host of the real servers.</summary>
public sealed class Starting_the_whole_app
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(4);

    private static readonly string[] Services = ["api", "webhooks", "scheduler", "worker", "live", "web"];

    /// <summary>Every service's scrape job, once per replica.</summary>
    private static readonly string[] ScrapedReplicas = ["api", "live", "live", "scheduler", "web", "webhooks", "worker", "worker"];

    private readonly string _monitoringDirectory = Path.Combine(Path.GetTempPath(), $"graphexec-monitoring-{Guid.NewGuid():N}");
    private DistributedApplication _app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(StartupTimeout);
        var arguments = new List<string> { "--GraphExec:Infrastructure=local" };
        arguments.AddRange(RealServersSetUp.Isolated.AppHostArguments());
        arguments.Add($"--Monitoring:Directory={_monitoringDirectory}");

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GraphExec_AppHost>([.. arguments], timeout.Token);
        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (Directory.Exists(_monitoringDirectory))
        {
            Directory.Delete(_monitoringDirectory, recursive: true);
        }
    }

    [Test]
    public async Task Should_bring_every_service_to_healthy()
    {
        using var timeout = new CancellationTokenSource(StartupTimeout);
        foreach (var service in Services)
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
        }

        foreach (var service in Services)
        {
            using var client = _app.CreateHttpClient(service);
            using var response = await client.GetAsync("/health", timeout.Token);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET /health of {service}");
            Assert.That(await response.Content.ReadAsStringAsync(timeout.Token), Is.EqualTo("Healthy"), service);
        }
    }

    [Test]
    public async Task Should_run_the_greeting_graph_end_to_end()
    {
        using var timeout = new CancellationTokenSource(StartupTimeout);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("api", timeout.Token);
        using var api = _app.CreateHttpClient("api");
        await ApiUsers.SignUpAsync(api);

        var graph = await api.SaveGraphAsync(SampleGraphs.Greeting);
        var execution = await api.StartExecutionAsync(graph, new { who = "Ada" });
        var result = await api.WaitForExecutionEndAsync(execution, StartupTimeout);

        Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("Succeeded"), result.ToString());
        Assert.That(result.GetProperty("outputs").GetProperty("greeting").GetString(), Is.EqualTo("Hello, Ada!"));
        Assert.That(result.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("status").GetString()), Is.EqualTo(new[] { "Succeeded", "Succeeded", "Succeeded" }));
    }

    [Test]
    public void Should_run_two_replicas_of_the_worker_and_of_live()
    {
        var model = _app.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var service in new[] { "worker", "live" })
        {
            var resource = model.Resources.Single(r => r.Name == service);
            Assert.That(resource.TryGetLastAnnotation<ReplicaAnnotation>(out var replicas), Is.True, service);
            Assert.That(replicas!.Replicas, Is.EqualTo(2), service);
        }
    }

    /// <summary>
    /// The load harness itself, for a few seconds at a low rate (two deliveries in flight, each sent when the last was
    /// answered), so that it cannot rot unnoticed: every trigger it got accepted must end Succeeded. With a wait, each
    /// delivery is answered when its run ends, which the Worker's final event tells the ingress through Redis.
    /// </summary>
    [TestCase(0)]
    [TestCase(30)]
    public async Task Should_complete_every_trigger_of_a_short_load_run(int wait)
    {
        using var timeout = new CancellationTokenSource(StartupTimeout);
        foreach (var service in new[] { "api", "webhooks", "worker" })
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
        }

        var options = new LoadOptions
        {
            Api = _app.GetEndpoint("api", "http"),
            Hooks = _app.GetEndpoint("webhooks", "http"),
            Rate = 0,
            Duration = TimeSpan.FromSeconds(5),
            Users = 2,
            HooksPerUser = 2,
            Concurrency = 2,
            Wait = wait,
            Drain = TimeSpan.FromMinutes(2),
            DetailSample = 20,
        };
        var (report, _) = await new LoadRun(options, retryFor: TimeSpan.Zero).RunAsync(timeout.Token);

        Assert.Multiple(() =>
        {
            Assert.That(report.Accepted, Is.Positive, report.ToMarkdown());
            Assert.That(report.Errors, Is.Empty, report.ToMarkdown());
            Assert.That(report.Missing, Is.Zero, report.ToMarkdown());
            Assert.That(report.Unfinished, Is.Zero, report.ToMarkdown());
            Assert.That(report.Succeeded, Is.EqualTo(report.Accepted), report.ToMarkdown());
            Assert.That(report.TriggerToFirstNode.Count, Is.EqualTo(Math.Min(options.DetailSample, report.Accepted)), report.ToMarkdown());
            // A run that outlasts the wait is answered 202 and ends later: on a loaded machine a few may.
            Assert.That(report.AnsweredWhenDone, wait > 0 ? Is.Positive : Is.Zero, report.ToMarkdown());
        });
    }

    [TestCase("api")]
    [TestCase("webhooks")]
    [TestCase("scheduler")]
    [TestCase("worker")]
    public async Task Should_give_the_service_the_run_s_blob_storage(string service)
    {
        var environment = await EnvironmentOfAsync(service);

        var model = _app.Services.GetRequiredService<DistributedApplicationModel>();
        Assert.That(model.Resources.Single(r => r.Name == "blobs"), Is.InstanceOf<IResourceWithConnectionString>());
        Assert.That(environment["ConnectionStrings__blobs"], Is.EqualTo(RealServersSetUp.Isolated.Connections.Blobs));
        Assert.That(environment["Blobs__Container"], Is.EqualTo(RealServersSetUp.Isolated.BlobContainerName));
    }

    [TestCase("live")]
    [TestCase("web")]
    public async Task Should_keep_blob_storage_from_a_service_that_reads_no_values(string service)
    {
        var environment = await EnvironmentOfAsync(service);

        Assert.That(environment.Keys, Has.None.StartsWith("ConnectionStrings__blobs").And.None.StartsWith("Blobs__"));
    }

    /// <summary>The environment the AppHost gives a service, resolved as for starting it.</summary>
    private async Task<Dictionary<string, string>> EnvironmentOfAsync(string service)
    {
        var model = _app.Services.GetRequiredService<DistributedApplicationModel>();
        var configuration = await ExecutionConfigurationBuilder.Create(model.Resources.Single(r => r.Name == service))
            .WithEnvironmentVariablesConfig()
            .BuildAsync(_app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, CancellationToken.None);
        return configuration.EnvironmentVariables.ToDictionary(variable => variable.Key, variable => variable.Value);
    }

    [TestCase("web", 5000)]
    [TestCase("api", 5001)]
    [TestCase("webhooks", 5002)]
    [TestCase("live", 5003)]
    [TestCase("scheduler", 5004)]
    [TestCase("prometheus", 9090)]
    [TestCase("alertmanager", 9093)]
    public void Should_declare_the_documented_port(string service, int port)
    {
        var model = _app.Services.GetRequiredService<DistributedApplicationModel>();
        var endpoint = model.Resources.Single(r => r.Name == service).Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http");
        Assert.That(endpoint.Port, Is.EqualTo(port));
    }

    [Test]
    public async Task Should_scrape_every_replica_of_every_service()
    {
        using var timeout = new CancellationTokenSource(StartupTimeout);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("prometheus", timeout.Token);
        using var prometheus = _app.CreateHttpClient("prometheus");

        string[] up = [];
        var targets = default(JsonElement);
        while (!up.SequenceEqual(ScrapedReplicas) && !timeout.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            targets = await prometheus.GetFromJsonAsync<JsonElement>("/api/v1/targets?state=active", CancellationToken.None);
            up = [.. targets.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
                .Where(target => target.GetProperty("health").GetString() == "up")
                .Select(target => target.GetProperty("labels").GetProperty("job").GetString()!)
                .Order(StringComparer.Ordinal)];
        }

        Assert.That(up, Is.EqualTo(ScrapedReplicas), targets.ToString());
    }

    [Test]
    public async Task Should_load_the_alert_rules_and_send_alerts_to_alertmanager()
    {
        using var timeout = new CancellationTokenSource(StartupTimeout);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("prometheus", timeout.Token);
        using var prometheus = _app.CreateHttpClient("prometheus");

        var rules = await prometheus.GetFromJsonAsync<JsonElement>("/api/v1/rules?type=alert", timeout.Token);
        var alertmanagers = await Poll.UntilAsync(
            async () => (await prometheus.GetFromJsonAsync<JsonElement>("/api/v1/alertmanagers", timeout.Token))
                .GetProperty("data").GetProperty("activeAlertmanagers").GetArrayLength(),
            count => count > 0,
            "Prometheus to discover Alertmanager");

        var alerts = rules.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(group => group.GetProperty("rules").EnumerateArray())
            .Select(rule => rule.GetProperty("name").GetString())
            .ToList();
        Assert.That(alerts, Does.Contain("ExecutionBacklogGrowing").And.Contain("WorkerDown"));
        Assert.That(alertmanagers, Is.EqualTo(1));
    }
}
