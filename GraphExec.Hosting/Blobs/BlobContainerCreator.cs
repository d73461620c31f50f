using Azure.Storage.Blobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;

namespace GraphExec.Hosting.Blobs;

/// <summary>
/// Creates the blob container in the background when the service starts, if it is missing; every replica may do this
/// at once, since creating a container that exists is a no-op. While storage is unreachable it retries with backoff and
/// the service stays up (alive, but not healthy), as the <see cref="DatabaseMigrator"/> does for the schema.
/// </summary>
internal sealed partial class BlobContainerCreator(
    BlobContainerClient container, BlobContainerStatus status, ILogger<BlobContainerCreator> logger) : BackgroundService
{
    private readonly ResiliencePipeline _retry = StartupRetry.UntilAvailable(
        BlobFailures.IsUnavailable,
        (delay, reason) => LogRetrying(logger, container.Name, delay, reason));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _retry.ExecuteAsync(async token => await container.CreateIfNotExistsAsync(cancellationToken: token), stoppingToken);
        status.MarkCreated();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blob storage is not reachable to create container {Container} ({Reason}); trying again in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string container, TimeSpan delay, string? reason);
}
