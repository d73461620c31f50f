using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace GraphExec.ServiceDefaults;

/// <summary>
/// Prometheus scrapes each service on a port of its own, <see cref="PortKey"/>: only that port answers
/// <see cref="Path"/>, so a deployment keeps metrics private by leaving the port out of its public ingress (Azure
/// Container Apps expose only the ingress target port). Without the setting no port is opened and there is no endpoint.
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>The port Kestrel also listens on for Prometheus (the AppHost gives each replica one; 9464 in Azure).</summary>
    public const string PortKey = "Metrics:Port";

    public const string Path = "/metrics";

    /// <summary>The setting Kestrel reads its addresses from (<c>ASPNETCORE_URLS</c>), and the one it falls back to.</summary>
    private const string UrlsKey = "urls";
    private const string HttpPortsKey = "http_ports";
    private const string DefaultUrl = "http://localhost:5000";

    public static int? Port(IConfiguration configuration) =>
        int.TryParse(configuration[PortKey], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : null;

    /// <summary>
    /// Adds the metrics port to the addresses Kestrel listens on, on the same host as the service's own first address
    /// (localhost stays localhost), unless an address already has that port.
    /// </summary>
    internal static void Listen(IHostApplicationBuilder builder)
    {
        if (Port(builder.Configuration) is not { } port)
        {
            return;
        }

        var urls = Addresses(builder.Configuration);
        if (urls.Any(url => PortOf(url) == port))
        {
            return;
        }

        var host = urls.Select(HostOf).FirstOrDefault() ?? "localhost";
        builder.Configuration[UrlsKey] = string.Join(';', urls.Append($"http://{host}:{port}"));
    }

    /// <summary>The scraping endpoint, answered on the metrics port only.</summary>
    internal static void Map(WebApplication app)
    {
        if (Port(app.Configuration) is { } port)
        {
            app.MapPrometheusScrapingEndpoint(Path).RequireHost($"*:{port}");
        }
    }

    private static List<string> Addresses(IConfiguration configuration)
    {
        if (configuration[UrlsKey] is { Length: > 0 } urls)
        {
            return [.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        // ASPNETCORE_HTTP_PORTS (set by the .NET container images) binds every interface, as "urls" then would too.
        return configuration[HttpPortsKey] is { Length: > 0 } ports
            ? [.. ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(httpPort => $"http://*:{httpPort}")]
            : [DefaultUrl];
    }

    private static int? PortOf(string url)
    {
        var colon = url.LastIndexOf(':');
        return colon > 0 && int.TryParse(url.AsSpan(colon + 1).TrimEnd('/'), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : null;
    }

    private static string HostOf(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var colon = url.LastIndexOf(':');
        return colon > start ? url[start..colon] : url[start..].TrimEnd('/');
    }
}
