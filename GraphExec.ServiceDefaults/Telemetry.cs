namespace GraphExec.ServiceDefaults;

/// <summary>
/// GraphExec's own activity source and meter, exported by every service beyond ASP.NET Core, HttpClient and the runtime.
/// Npgsql and StackExchange.Redis register their own through the Aspire client integrations, MassTransit through the bus
/// registration.
/// </summary>
public static class Telemetry
{
    /// <summary>The name of GraphExec's own activity source and meter.</summary>
    public const string GraphExec = "GraphExec";
}
