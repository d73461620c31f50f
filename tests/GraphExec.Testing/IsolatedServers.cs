using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Npgsql;
using StackExchange.Redis;

namespace GraphExec.Testing;

/// <summary>
/// A database, a RabbitMQ virtual host, a Redis key prefix and a blob container of their own on shared servers.
/// Disposing drops them.
/// </summary>
public sealed partial class IsolatedServers : IAsyncDisposable
{
    private readonly ServerConnections _server;

    private IsolatedServers(ServerConnections server, string name, ServerConnections connections)
    {
        _server = server;
        Name = name;
        Connections = connections;
    }

    /// <summary>Names the database (<c>gx_{Name}</c>), the virtual host and the key prefix.</summary>
    public string Name { get; }

    public ServerConnections Connections { get; }

    public string DatabaseName => DatabaseNameOf(Name);

    public string CacheKeyPrefix => $"{Name}:";

    /// <summary>
    /// The run's container in the shared storage account (<c>gx-{Name}</c> in the letters, digits and single hyphens that
    /// a container name allows), given to services as <c>Blobs:Container</c>.
    /// </summary>
    public string BlobContainerName => BlobContainerNameOf(Name);

    /// <summary>What a service needs in its configuration to use these servers (<c>ConnectionStrings:…</c>).</summary>
    public IReadOnlyDictionary<string, string> ConnectionStrings => new Dictionary<string, string>
    {
        ["graphexec"] = Connections.Database,
        ["rabbitmq"] = Connections.Broker,
        ["redis"] = Connections.Cache,
        ["blobs"] = Connections.Blobs,
    };

    /// <summary>
    /// The AppHost's arguments for these servers in local mode: the connection strings it hands out and the blob container
    /// it passes on.
    /// </summary>
    public IEnumerable<string> AppHostArguments() =>
        ConnectionStrings.Select(pair => $"--ConnectionStrings:{pair.Key}={pair.Value}").Append($"--Blobs:Container={BlobContainerName}");

    /// <summary>The key that encrypts this run's Data Protection key ring, the same for every service of the run.</summary>
    public string DataProtectionKey { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// A service's configuration keys for these servers: its connection strings, its cache key prefix and its blob container.
    /// </summary>
    public Dictionary<string, string> ServiceSettings()
    {
        var settings = ConnectionStrings.ToDictionary(c => $"ConnectionStrings:{c.Key}", c => c.Value);
        settings["Cache:KeyPrefix"] = CacheKeyPrefix;
        settings["Blobs:Container"] = BlobContainerName;
        settings["DataProtection:Key"] = DataProtectionKey;
        return settings;
    }

    internal static async Task<IsolatedServers> CreateAsync(ServerConnections server, string label, CancellationToken cancellationToken)
    {
        // Lower case, short and unique per run: a Postgres identifier, a vhost name and a key prefix at once (and, with
        // hyphens for underscores, a container name).
        var name = $"{Sanitize(label)}_{DateTime.UtcNow:yyMMddHHmmss}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        var connections = new ServerConnections(
            new NpgsqlConnectionStringBuilder(server.Database) { Database = DatabaseNameOf(name) }.ConnectionString,
            new UriBuilder(server.Broker) { Path = "/" + Uri.EscapeDataString(name) }.Uri.ToString(),
            server.Cache,
            server.BrokerManagement,
            server.Blobs);
        var isolated = new IsolatedServers(server, name, connections);

        await isolated.ExecuteOnServerAsync($"CREATE DATABASE \"{isolated.DatabaseName}\"", cancellationToken);
        using var management = RabbitManagement.CreateClient(server.BrokerManagement);
        var user = Uri.UnescapeDataString(new Uri(server.Broker).UserInfo.Split(':')[0]);
        (await management.PutAsync($"api/vhosts/{Uri.EscapeDataString(name)}", null, cancellationToken)).EnsureSuccessStatusCode();
        (await management.PutAsJsonAsync(
            $"api/permissions/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(user)}",
            new { configure = ".*", write = ".*", read = ".*" },
            cancellationToken)).EnsureSuccessStatusCode();
        await isolated.BlobContainer().CreateAsync(cancellationToken: cancellationToken);

        return isolated;
    }

    /// <summary>A client of the run's blob container.</summary>
    public BlobContainerClient BlobContainer() => new BlobServiceClient(Connections.Blobs).GetBlobContainerClient(BlobContainerName);

    public async ValueTask DisposeAsync()
    {
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", CancellationToken.None);
        await BlobContainer().DeleteIfExistsAsync();

        using (var management = RabbitManagement.CreateClient(_server.BrokerManagement))
        {
            await management.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(Name)}");
        }

        await using var redis = await ConnectionMultiplexer.ConnectAsync(_server.Cache);
        foreach (var endpoint in redis.GetEndPoints())
        {
            var keys = redis.GetServer(endpoint).KeysAsync(pattern: CacheKeyPrefix + "*");
            await foreach (var key in keys)
            {
                await redis.GetDatabase().KeyDeleteAsync(key);
            }
        }
    }

    private async Task ExecuteOnServerAsync(string sql, CancellationToken cancellationToken)
    {
        // CREATE/DROP DATABASE cannot run inside the database itself, so use the maintenance database.
        var builder = new NpgsqlConnectionStringBuilder(_server.Database) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string DatabaseNameOf(string name) => $"gx_{name}";

    /// <summary>3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.</summary>
    private static string BlobContainerNameOf(string name) => $"gx-{NotLetterOrDigit().Replace(name, "-").Trim('-')}";

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotLetterOrDigit();

    private static string Sanitize(string label)
    {
        var cleaned = new string(label.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        return cleaned.Length > 24 ? cleaned[..24] : cleaned;
    }
}
