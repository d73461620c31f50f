using System.Security.Cryptography;
using System.Text.Json;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;
using Testcontainers.Redis;

namespace GraphExec.Testing;

/// <summary>
/// Real PostgreSQL, RabbitMQ, Redis and blob storage (Azurite) for a test run: containers when a Docker engine answers,
/// otherwise the servers that <c>eng/servers.sh up</c> started. Start it once per test assembly and take an
/// <see cref="IsolatedServers"/> from it so that test projects and runs never see each other's data.
/// </summary>
public sealed class TestServers : IAsyncDisposable
{
    /// <summary><c>auto</c> (default), <c>containers</c> or <c>local</c>.</summary>
    public const string ModeVariable = "GRAPHEXEC_TEST_SERVERS";

    private const string RabbitManagementUriVariable = "GRAPHEXEC_RABBITMQ_MANAGEMENT_URI";
    private const int RabbitManagementPort = 15672;
    private const int AzuriteBlobPort = 10000;
    private const string AzuriteAccount = "graphexec";

    private readonly IReadOnlyList<IAsyncDisposable> _containers;

    private TestServers(string source, ServerConnections connections, IReadOnlyList<IAsyncDisposable> containers)
    {
        Source = source;
        Connections = connections;
        _containers = containers;
    }

    /// <summary>Where the servers come from, for the test log.</summary>
    public string Source { get; }

    /// <summary>The servers' own connection strings (administrative: default database and virtual host).</summary>
    public ServerConnections Connections { get; }

    public static async Task<TestServers> StartAsync(CancellationToken cancellationToken = default)
    {
        var mode = Environment.GetEnvironmentVariable(ModeVariable) ?? "auto";
        var useContainers = mode switch
        {
            "containers" => true,
            "local" => false,
            "auto" => await DockerEngine.AnswersAsync(cancellationToken),
            _ => throw new InvalidOperationException($"{ModeVariable} is '{mode}'; use auto, containers or local."),
        };

        return useContainers ? await StartContainersAsync(cancellationToken) : FromLocalServers();
    }

    public Task<IsolatedServers> IsolateAsync(string label, CancellationToken cancellationToken = default) =>
        IsolatedServers.CreateAsync(Connections, label, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var container in _containers)
        {
            await container.DisposeAsync();
        }
    }

    private static async Task<TestServers> StartContainersAsync(CancellationToken cancellationToken)
    {
        var postgres = new PostgreSqlBuilder("postgres:17-alpine").Build();
        var rabbit = new RabbitMqBuilder("rabbitmq:3.13-management-alpine").WithPortBinding(RabbitManagementPort, true).Build();
        var redis = new RedisBuilder("redis:7-alpine").Build();
        var (azurite, azuriteKey) = BuildAzurite();

        await Task.WhenAll(
            postgres.StartAsync(cancellationToken),
            rabbit.StartAsync(cancellationToken),
            redis.StartAsync(cancellationToken),
            azurite.StartAsync(cancellationToken));

        var brokerUri = new Uri(rabbit.GetConnectionString());
        var management = new UriBuilder("http", rabbit.Hostname, rabbit.GetMappedPublicPort(RabbitManagementPort))
        {
            UserName = brokerUri.UserInfo.Split(':')[0],
            Password = brokerUri.UserInfo.Split(':')[1],
        }.Uri;

        var blobs = BlobsConnectionString(azuriteKey, $"http://{azurite.Hostname}:{azurite.GetMappedPublicPort(AzuriteBlobPort)}");

        var connections = new ServerConnections(
            postgres.GetConnectionString(), brokerUri.ToString(), redis.GetConnectionString(), management, blobs);
        return new TestServers("containers (Testcontainers)", connections, [postgres, rabbit, redis, azurite]);
    }

    /// <summary>
    /// Azurite's blob service with an account of its own, as <c>eng/servers.sh</c> runs it (Testcontainers.Azurite is not
    /// served, so a generic container). The SDK is newer than Azurite, hence <c>--skipApiVersionCheck</c>.
    /// </summary>
    private static (IContainer Container, string Key) BuildAzurite()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        var container = new ContainerBuilder("mcr.microsoft.com/azure-storage/azurite:3.37.0")
            .WithEnvironment("AZURITE_ACCOUNTS", $"{AzuriteAccount}:{key}")
            .WithCommand(
                "azurite-blob", "--blobHost", "0.0.0.0", "--blobPort", $"{AzuriteBlobPort}",
                "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--inMemoryPersistence")
            .WithPortBinding(AzuriteBlobPort, true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("Azurite Blob service successfully listens"))
            .Build();
        return (container, key);
    }

    private static string BlobsConnectionString(string key, string endpoint) =>
        $"DefaultEndpointsProtocol=http;AccountName={AzuriteAccount};AccountKey={key};BlobEndpoint={endpoint}/{AzuriteAccount};";

    private static TestServers FromLocalServers()
    {
        var file = ConnectionStringsFile();
        using var document = File.Exists(file) ? JsonDocument.Parse(File.ReadAllText(file)) : null;

        string Setting(string environmentVariable, params string[] jsonPath)
        {
            if (Environment.GetEnvironmentVariable(environmentVariable) is { Length: > 0 } fromEnvironment)
            {
                return fromEnvironment;
            }

            var element = document?.RootElement;
            foreach (var name in jsonPath)
            {
                element = element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var child) ? child : null;
            }

            return element?.GetString() ?? throw new InvalidOperationException(
                $"No local servers: neither {environmentVariable} nor {file} is set. Run ./eng/servers.sh up first.");
        }

        var broker = Setting("ConnectionStrings__rabbitmq", "ConnectionStrings", "rabbitmq");
        var management = new UriBuilder(Setting(RabbitManagementUriVariable, "RabbitMQ", "ManagementUri"))
        {
            UserName = Uri.UnescapeDataString(new Uri(broker).UserInfo.Split(':')[0]),
            Password = Uri.UnescapeDataString(new Uri(broker).UserInfo.Split(':')[1]),
        }.Uri;

        var connections = new ServerConnections(
            Setting("ConnectionStrings__graphexec", "ConnectionStrings", "graphexec"),
            broker,
            Setting("ConnectionStrings__redis", "ConnectionStrings", "redis"),
            management,
            Setting("ConnectionStrings__blobs", "ConnectionStrings", "blobs"));
        return new TestServers("local servers (eng/servers.sh)", connections, []);
    }

    private static string ConnectionStringsFile()
    {
        if (Environment.GetEnvironmentVariable("GRAPHEXEC_SERVERS_DIR") is { Length: > 0 } configured)
        {
            return Path.Combine(configured, "connection-strings.json");
        }

        return Path.Combine(RepositoryRoot.Find(), ".servers", "connection-strings.json");
    }
}
