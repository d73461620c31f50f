namespace GraphExec.AppHost.Infrastructure;

/// <summary>Where RabbitMQ, PostgreSQL, Redis and blob storage come from.</summary>
public enum InfrastructureMode
{
    /// <summary>The AppHost runs them as containers (persistent, with data volumes).</summary>
    Containers,

    /// <summary>Servers already running on this machine, started by <c>eng/servers.sh</c>.</summary>
    Local,
}
