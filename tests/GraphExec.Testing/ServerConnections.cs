namespace GraphExec.Testing;

/// <summary>Connection strings of one set of servers, shaped like the <c>ConnectionStrings</c> the AppHost hands out.</summary>
/// <param name="Database">Npgsql connection string.</param>
/// <param name="Broker"><c>amqp://user:password@host:port/vhost</c>.</param>
/// <param name="Cache">StackExchange.Redis configuration string.</param>
/// <param name="BrokerManagement">RabbitMQ management API base address, with the broker's credentials.</param>
/// <param name="Blobs">Azure Storage connection string (Azurite's account, with its key and blob endpoint).</param>
public sealed record ServerConnections(string Database, string Broker, string Cache, Uri BrokerManagement, string Blobs);
