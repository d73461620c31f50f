namespace GraphExec.ServiceDefaults;

/// <summary>
/// Activity sources and meters exported by every service, beyond ASP.NET Core, HttpClient and the runtime.
/// Npgsql and StackExchange.Redis register their own through the Aspire client integrations.
/// </summary>
public static class Telemetry
{
    /// <summary>The name of GraphExec's own activity source and meter.</summary>
    public const string GraphExec = "GraphExec";

    public static readonly string[] ActivitySourceNames =
    [
        GraphExec,
        MassTransit.Logging.DiagnosticHeaders.DefaultListenerName,
    ];

    public static readonly string[] MeterNames =
    [
        GraphExec,
        MassTransit.Monitoring.InstrumentationOptions.MeterName,
    ];
}
