using Microsoft.Extensions.Configuration;

namespace GraphExec.AppHost.Infrastructure;

public static class InfrastructureExtensions
{
    /// <summary><c>auto</c> (default), <c>containers</c> or <c>local</c>; e.g. <c>GraphExec__Infrastructure=local</c>.</summary>
    public const string ModeSetting = "GraphExec:Infrastructure";

    /// <summary>Overrides where <c>eng/servers.sh</c> keeps its state (and so its connection strings).</summary>
    public const string ServersDirectorySetting = "GRAPHEXEC_SERVERS_DIR";

    public const string DatabaseName = "graphexec";
    public const string BrokerName = "rabbitmq";
    public const string CacheName = "redis";
    public const string BlobsName = "blobs";

    /// <summary>
    /// The container the services keep values in, passed on to them when set (tests give each run its own); unset, the
    /// services use their default.
    /// </summary>
    public const string BlobContainerSetting = "Blobs:Container";

    /// <summary>Azurite's own account in a container, as <c>eng/servers.sh</c> names it locally.</summary>
    private const string AzuriteAccount = "graphexec";
    private const int AzuriteBlobPort = 10000;

    public static GraphExecInfrastructure AddGraphExecInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var (mode, reason) = ChooseMode(builder);
        return mode == InfrastructureMode.Containers
            ? AddContainers(builder, reason)
            : AddLocalServers(builder, reason);
    }

    /// <summary>
    /// References each server and, when the AppHost runs them itself, waits until they are healthy; a service given blob
    /// storage also gets the <see cref="BlobContainerSetting"/> when one is set.
    /// </summary>
    public static IResourceBuilder<T> WithInfrastructure<T>(
        this IResourceBuilder<T> service,
        GraphExecInfrastructure infrastructure,
        params IResourceBuilder<IResourceWithConnectionString>[] servers)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        foreach (var server in servers)
        {
            service.WithReference(server);
            if (infrastructure.Mode == InfrastructureMode.Containers)
            {
                service.WaitFor(server);
            }
        }

        if (servers.Contains(infrastructure.Blobs)
            && service.ApplicationBuilder.Configuration[BlobContainerSetting] is { Length: > 0 } container)
        {
            service.WithEnvironment(BlobContainerSetting.Replace(":", "__", StringComparison.Ordinal), container);
        }

        return service;
    }

    private static (InfrastructureMode Mode, string Reason) ChooseMode(IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return (InfrastructureMode.Containers, "publishing: the servers are deployed as containers");
        }

        var setting = builder.Configuration[ModeSetting] ?? "auto";
        if (setting.Equals("local", StringComparison.OrdinalIgnoreCase))
        {
            return (InfrastructureMode.Local, $"{ModeSetting}=local");
        }

        if (setting.Equals("containers", StringComparison.OrdinalIgnoreCase))
        {
            return (InfrastructureMode.Containers, $"{ModeSetting}=containers");
        }

        if (!setting.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{ModeSetting} is '{setting}'; use auto, containers or local.");
        }

        // Aspire's own setting for the runtime it drives.
        var runtime = builder.Configuration["ASPIRE_CONTAINER_RUNTIME"] ?? "docker";
        return ContainerRuntime.Answers(runtime)
            ? (InfrastructureMode.Containers, $"the {runtime} engine answered")
            : (InfrastructureMode.Local, $"no {runtime} engine answered");
    }

    private static GraphExecInfrastructure AddContainers(IDistributedApplicationBuilder builder, string reason)
    {
        var postgresPassword = builder.AddGeneratedSecret("postgres-password");
        var rabbitPassword = builder.AddGeneratedSecret("rabbitmq-password");
        var redisPassword = builder.AddGeneratedSecret("redis-password");

        var database = builder.AddPostgres("postgres", password: postgresPassword)
            .WithDataVolume()
            .WithLifetime(ContainerLifetime.Persistent)
            .AddDatabase(DatabaseName);

        var broker = builder.AddRabbitMQ(BrokerName, password: rabbitPassword)
            .WithManagementPlugin()
            .WithDataVolume()
            .WithLifetime(ContainerLifetime.Persistent);

        var cache = builder.AddRedis(CacheName, password: redisPassword)
            .WithDataVolume()
            .WithLifetime(ContainerLifetime.Persistent);

        return new GraphExecInfrastructure(InfrastructureMode.Containers, reason, database, broker, cache, builder.AddAzurite());
    }

    /// <summary>
    /// Azurite's blob service as a container (the Aspire Azure hosting packages are not served here) with an account of
    /// its own, and the <c>blobs</c> connection string to it. The account key is 88 letters and digits, which is valid
    /// base64 (66 bytes), the shape of a real key. The SDK is newer than Azurite, hence <c>--skipApiVersionCheck</c>.
    /// </summary>
    private static IResourceBuilder<IResourceWithConnectionString> AddAzurite(this IDistributedApplicationBuilder builder)
    {
        var accountKey = builder.AddParameter(
            "azurite-account-key", new GenerateParameterDefault { MinLength = 88, Special = false }, secret: true, persist: true);

        var azurite = builder.AddContainer("azurite", "azure-storage/azurite", "3.37.0")
            .WithImageRegistry("mcr.microsoft.com")
            .WithEnvironment("AZURITE_ACCOUNTS", ReferenceExpression.Create($"{AzuriteAccount}:{accountKey}"))
            .WithArgs(
                "azurite-blob", "--blobHost", "0.0.0.0", "--blobPort", $"{AzuriteBlobPort}", "--location", "/data",
                "--skipApiVersionCheck", "--loose", "--disableTelemetry")
            .WithHttpEndpoint(targetPort: AzuriteBlobPort, name: "blob")
            .WithVolume("graphexec-azurite-data", "/data")
            .WithLifetime(ContainerLifetime.Persistent);

        var endpoint = azurite.GetEndpoint("blob");
        return builder.AddConnectionString(BlobsName, ReferenceExpression.Create(
            $"DefaultEndpointsProtocol=http;AccountName={AzuriteAccount};AccountKey={accountKey};BlobEndpoint={endpoint}/{AzuriteAccount};"))
            .WaitFor(azurite);
    }

    private static GraphExecInfrastructure AddLocalServers(IDistributedApplicationBuilder builder, string reason)
    {
        var connectionStringsFile = Path.Combine(ServersDirectory(builder), "connection-strings.json");
        AddMissingSettings(builder.Configuration, connectionStringsFile);

        foreach (var name in new[] { DatabaseName, BrokerName, CacheName, BlobsName })
        {
            if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)))
            {
                throw new InvalidOperationException(
                    $"Local infrastructure needs the connection string '{name}', and {connectionStringsFile} does not exist " +
                    "or lacks it. Start the servers with ./eng/servers.sh up (or set ConnectionStrings__" + name + ").");
            }
        }

        return new GraphExecInfrastructure(
            InfrastructureMode.Local,
            reason,
            builder.AddConnectionString(DatabaseName),
            builder.AddConnectionString(BrokerName),
            builder.AddConnectionString(CacheName),
            builder.AddConnectionString(BlobsName));
    }

    internal static string ServersDirectory(IDistributedApplicationBuilder builder) =>
        builder.Configuration[ServersDirectorySetting] is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".servers"));

    /// <summary>
    /// Settings given on the command line or in the environment win over the servers' file, so that tests can point
    /// the app at their own database and virtual host.
    /// </summary>
    private static void AddMissingSettings(IConfigurationManager configuration, string jsonFile)
    {
        if (!File.Exists(jsonFile))
        {
            return;
        }

        var fromFile = new ConfigurationBuilder().AddJsonFile(jsonFile, optional: false).Build();
        foreach (var (key, value) in fromFile.AsEnumerable())
        {
            if (value is not null && string.IsNullOrEmpty(configuration[key]))
            {
                configuration[key] = value;
            }
        }
    }

    private static IResourceBuilder<ParameterResource> AddGeneratedSecret(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
}
