using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace GraphExec.ServiceDefaults;

/// <summary>
/// What every GraphExec service shares: OpenTelemetry, health checks, service discovery and HTTP resilience.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>Tag of the checks that only prove the process is alive; every other check is a dependency.</summary>
    public const string LiveTag = "live";

    private const string EntityFrameworkCommands = "Microsoft.EntityFrameworkCore.Database.Command";
    private const string NpgsqlCommands = "Npgsql.Command";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddForwardedClientAddress();
        MetricsEndpoint.Listen(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler(options =>
            {
                // A 429 asks the caller to slow down: retrying it multiplies the load the limit is there to shed (every
                // sign-in the Web forwards would count several times against its user).
                options.Retry.ShouldHandle = attempt => ValueTask.FromResult(
                    attempt.Outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests && HttpClientResiliencePredicates.IsTransient(attempt.Outcome));
                // A POST, PUT, PATCH or DELETE that failed may have taken effect: sending it again could do it twice.
                options.Retry.DisableForUnsafeHttpMethods();
            });
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        // EF Core and Npgsql log every command at Information, SQL text included: thousands of log records a second under
        // load, each one written to the console, captured by the orchestrator and exported to the dashboard. Failures
        // are still logged (at Error).
        builder.Logging.AddFilter(EntityFrameworkCommands, LogLevel.Warning);
        builder.Logging.AddFilter(NpgsqlCommands, LogLevel.Warning);

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(Telemetry.GraphExec))
            .WithTracing(tracing => tracing
                .AddGraphExecSampling(builder.Configuration)
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(Telemetry.GraphExec)
                .AddAspNetCoreInstrumentation(options =>
                    // Health probes arrive every few seconds from the orchestrator; tracing them is noise.
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        // Prometheus pulls what the dashboard gets pushed over OTLP, from the service's metrics port (see MetricsEndpoint).
        if (MetricsEndpoint.Port(builder.Configuration) is not null)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddPrometheusExporter());
        }

        // The AppHost (and Azure Container Apps through azd) set this; without it telemetry stays in-process.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        return builder;
    }

    /// <summary>
    /// <c>/alive</c> answers while the process runs; <c>/health</c> also checks every dependency the service
    /// registered (database, broker, cache, downstream services). Both answer only a status word, never details.
    /// <para>
    /// The client address from trusted proxies first (see <see cref="ForwardedClientAddress"/>), the security headers (see
    /// <see cref="SecurityHeaders"/>; the Web adds its content security policy), then the health endpoints and, on the
    /// metrics port only, Prometheus's (see <see cref="MetricsEndpoint"/>).
    /// </para>
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, string? contentSecurityPolicy = null)
    {
        app.UseForwardedClientAddress();
        app.UseSecurityHeaders(contentSecurityPolicy);
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
        });
        MetricsEndpoint.Map(app);

        return app;
    }
}
