using Azure.Storage.Blobs;
using GraphExec.Core.Values;
using GraphExec.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GraphExec.Hosting.Blobs;

public static class BlobStorageExtensions
{
    /// <summary>The health check that is unhealthy until the container exists, and while storage does not answer.</summary>
    public const string HealthCheck = "blob-storage";

    /// <summary>A health probe must answer quickly rather than wait out the SDK's own retries while storage is down.</summary>
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Blob storage for the values kept outside PostgreSQL: a singleton <see cref="BlobContainerClient"/> for the
    /// container <c>Blobs:Container</c> (default <c>values</c>) of the account in the <c>blobs</c> connection string (an
    /// Azure Storage connection string; locally Azurite's), and the <see cref="ExecutionBlobStore"/> every service reads
    /// and writes values through (also as <see cref="IExecutionBlobs"/> for retention), with the limits of
    /// <see cref="BlobOptions"/> validated at start. The container is created in the background at start when missing;
    /// <see cref="BlobContainerStatus"/> tells when that is done, the store waits for it, and the
    /// <see cref="HealthCheck"/> follows it.
    /// </summary>
    public static TBuilder AddGraphExecBlobs<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionNames.Blobs);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"The connection string '{ConnectionNames.Blobs}' (an Azure Storage connection string) is missing.");
        }

        builder.Services.AddOptions<BlobOptions>()
            .BindConfiguration(BlobOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(_ => new BlobServiceClient(connectionString));
        builder.Services.AddSingleton(services => services.GetRequiredService<BlobServiceClient>()
            .GetBlobContainerClient(services.GetRequiredService<IOptions<BlobOptions>>().Value.Container));

        builder.Services.AddSingleton<BlobContainerStatus>();
        builder.Services.AddHostedService<BlobContainerCreator>();
        builder.Services.AddSingleton(services => new ExecutionBlobStore(
            services.GetRequiredService<BlobContainerClient>(),
            services.GetRequiredService<IOptions<BlobOptions>>(),
            services.GetRequiredService<BlobContainerStatus>().Created));
        builder.Services.AddSingleton<IExecutionBlobs>(services => services.GetRequiredService<ExecutionBlobStore>());
        builder.Services.AddHealthChecks().AddCheck<BlobStorageHealthCheck>(HealthCheck, timeout: HealthCheckTimeout);
        return builder;
    }
}
