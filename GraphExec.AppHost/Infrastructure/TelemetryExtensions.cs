namespace GraphExec.AppHost.Infrastructure;

public static class TelemetryExtensions
{
    /// <summary>The share of traces the services export (see the services' trace sampling); unset keeps their default.</summary>
    private const string RatioSetting = "GraphExec:TraceSampleRatio";

    /// <summary>
    /// Telemetry that costs what it is worth under load: metrics exported every 5 s instead of the development default of
    /// every second (ten processes sending every instrument each second kept the dashboard busy), and the trace sample
    /// ratio from the AppHost's configuration when one is set.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTelemetrySettings(this IResourceBuilder<ProjectResource> project)
    {
        var ratio = project.ApplicationBuilder.Configuration[RatioSetting];
        return project.WithEnvironment(context =>
        {
            context.EnvironmentVariables["OTEL_METRIC_EXPORT_INTERVAL"] = "5000";
            if (!string.IsNullOrWhiteSpace(ratio))
            {
                context.EnvironmentVariables["OTEL_TRACES_SAMPLER_ARG"] = ratio;
            }
        });
    }
}
