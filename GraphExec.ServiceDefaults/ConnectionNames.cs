namespace GraphExec.ServiceDefaults;

/// <summary>
/// Names of the connection strings the AppHost hands to every service (<c>ConnectionStrings__{name}</c>).
/// </summary>
public static class ConnectionNames
{
    public const string Database = "graphexec";
    public const string MessageBroker = "rabbitmq";
    public const string Cache = "redis";

    /// <summary>An Azure Storage connection string (locally Azurite's) for the values kept outside PostgreSQL.</summary>
    public const string Blobs = "blobs";
}
