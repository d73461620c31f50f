using Azure.Storage.Blobs;
using GraphExec.Core.Values;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GraphExec.Hosting;

public static class ExecutionBlobsExtensions
{
    /// <summary>The connection string of blob storage (Azure Blob Storage, or Azurite locally).</summary>
    public const string ConnectionName = "blobs";

    /// <summary>
    /// Execution values above the inline threshold, in the container <c>Blobs:Container</c> of the <c>blobs</c> connection
    /// string: the store every service reads and writes them through (<see cref="ExecutionBlobStore"/>, also as
    /// <see cref="IExecutionBlobs"/> for retention), with its limits validated at start.
    /// </summary>
    public static TBuilder AddExecutionBlobs<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<BlobOptions>().BindConfiguration(BlobOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(services => new BlobContainerClient(
            builder.Configuration.GetConnectionString(ConnectionName)
                ?? throw new InvalidOperationException($"The connection string '{ConnectionName}' (blob storage) is not set."),
            services.GetRequiredService<IOptions<BlobOptions>>().Value.Container));
        builder.Services.AddSingleton<ExecutionBlobStore>();
        builder.Services.AddSingleton<IExecutionBlobs>(services => services.GetRequiredService<ExecutionBlobStore>());
        return builder;
    }
}
