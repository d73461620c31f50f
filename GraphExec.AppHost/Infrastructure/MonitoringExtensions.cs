using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.AppHost.Infrastructure;

/// <summary>
/// Prometheus and Alertmanager beside the services: from Debian's packages (installed by <c>eng/servers.sh</c>) as
/// executables, or as containers when the AppHost runs the servers as containers. Prometheus loads the alert rules in
/// <c>eng/prometheus</c> and scrapes every replica of every service on its metrics port; <see cref="ScrapeTargets"/>
/// writes the replicas' addresses as they start, since only then are their ports known. Not published: a deployment
/// brings its own monitoring (see docs/deployment.md).
/// </summary>
public static class MonitoringExtensions
{
    public const string PrometheusName = "prometheus";
    public const string AlertmanagerName = "alertmanager";
    public const int PrometheusPort = 9090;
    public const int AlertmanagerPort = 9093;

    /// <summary>Where Prometheus and Alertmanager keep their configuration and data; defaults to the servers' folder.</summary>
    public const string DirectorySetting = "Monitoring:Directory";

    private const string MetricsEndpointName = "metrics";
    private const string ScrapeInterval = "10s";

    /// <summary>
    /// Gives the service a metrics port (its <c>Metrics__Port</c>, one per replica) for Prometheus to scrape. Run mode
    /// only: a deployment sets a fixed port that its ingress leaves out.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithMetricsEndpoint(this IResourceBuilder<ProjectResource> project) =>
        project.ApplicationBuilder.ExecutionContext.IsPublishMode
            ? project
            : project.WithHttpEndpoint(name: MetricsEndpointName, env: "Metrics__Port");

    /// <summary>Adds Prometheus and Alertmanager (run mode only), scraping every project resource that has a metrics port.</summary>
    public static void AddMonitoring(this IDistributedApplicationBuilder builder, GraphExecInfrastructure infrastructure)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return;
        }

        var rules = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "eng", "prometheus"));
        var directory = builder.Configuration[DirectorySetting] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(InfrastructureExtensions.ServersDirectory(builder), "monitoring");
        var configDirectory = Path.Combine(directory, "config");
        Directory.CreateDirectory(configDirectory);

        var containers = infrastructure.Mode == InfrastructureMode.Containers;
        var alertmanager = containers ? builder.AddContainers(rules, configDirectory) : builder.AddExecutables(rules, directory, configDirectory);

        var targets = new ScrapeTargets(
            configDirectory, containers ? "host.docker.internal" : "localhost", containers ? "/etc/graphexec/alerts.yml" : Path.Combine(rules, "alerts.yml"),
            containers ? "/etc/prometheus/graphexec" : configDirectory, ScrapeInterval);
        builder.Services.AddSingleton(targets);
        builder.Eventing.Subscribe<BeforeStartEvent>((start, _) =>
        {
            var scraped = start.Model.Resources.OfType<ProjectResource>()
                .Where(project => project.Annotations.OfType<EndpointAnnotation>().Any(e => e.Name == MetricsEndpointName))
                .Select(project => project.Name)
                .ToList();
            targets.WriteConfiguration(scraped, alertmanager);
            targets.Follow(start.Services);
            return Task.CompletedTask;
        });
    }

    /// <summary>Both from Debian's packages; each listens on the port DCP gives it behind its proxied endpoint.</summary>
    /// <returns>Alertmanager's endpoint, for Prometheus.</returns>
    private static EndpointReference AddExecutables(this IDistributedApplicationBuilder builder, string rules, string directory, string configDirectory)
    {
        var alertmanager = builder.AddExecutable(AlertmanagerName, "prometheus-alertmanager", directory)
            .WithHttpEndpoint(port: AlertmanagerPort, name: "http")
            .WithListenAddressArgument("--web.listen-address")
            .WithArgs(
                $"--config.file={Path.Combine(rules, "alertmanager.yml")}", $"--storage.path={Path.Combine(directory, "alertmanager")}",
                "--cluster.listen-address=")
            .WithHttpHealthCheck("/-/ready");

        builder.AddExecutable(PrometheusName, "prometheus", directory)
            .WithHttpEndpoint(port: PrometheusPort, name: "http")
            .WithListenAddressArgument("--web.listen-address")
            .WithArgs(
                $"--config.file={Path.Combine(configDirectory, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(directory, "prometheus")}",
                "--storage.tsdb.retention.time=7d")
            .WithHttpHealthCheck("/-/ready")
            .WaitFor(alertmanager);
        return alertmanager.GetEndpoint("http");
    }

    /// <summary>Both from their upstream images, with the rules and the generated configuration mounted.</summary>
    /// <returns>Alertmanager's endpoint, for Prometheus.</returns>
    private static EndpointReference AddContainers(this IDistributedApplicationBuilder builder, string rules, string configDirectory)
    {
        var alertmanager = builder.AddContainer(AlertmanagerName, "prom/alertmanager", "v0.28.1")
            .WithBindMount(rules, "/etc/graphexec", isReadOnly: true)
            .WithArgs("--config.file=/etc/graphexec/alertmanager.yml", "--storage.path=/alertmanager", "--cluster.listen-address=")
            .WithHttpEndpoint(port: AlertmanagerPort, targetPort: AlertmanagerPort, name: "http")
            .WithHttpHealthCheck("/-/ready");

        builder.AddContainer(PrometheusName, "prom/prometheus", "v2.53.4")
            .WithBindMount(rules, "/etc/graphexec", isReadOnly: true)
            .WithBindMount(configDirectory, "/etc/prometheus/graphexec")
            .WithArgs("--config.file=/etc/prometheus/graphexec/prometheus.yml", "--storage.tsdb.path=/prometheus", "--storage.tsdb.retention.time=7d")
            .WithHttpEndpoint(port: PrometheusPort, targetPort: PrometheusPort, name: "http")
            .WithHttpHealthCheck("/-/ready")
            .WaitFor(alertmanager);
        return alertmanager.GetEndpoint("http");
    }

    /// <summary>Passes the port DCP gives the executable behind its proxied endpoint as <c>--flag=localhost:port</c>.</summary>
    private static IResourceBuilder<ExecutableResource> WithListenAddressArgument(this IResourceBuilder<ExecutableResource> executable, string flag)
    {
        var endpoint = executable.GetEndpoint("http");
        return executable.WithArgs(context => context.Args.Add(
            ReferenceExpression.Create($"{flag}=localhost:{endpoint.Property(EndpointProperty.TargetPort)}")));
    }
}
