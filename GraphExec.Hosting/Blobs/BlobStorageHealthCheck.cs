using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GraphExec.Hosting.Blobs;

/// <summary>Healthy when the container exists and storage answers for it now (one properties request, no data read).</summary>
internal sealed class BlobStorageHealthCheck(BlobContainerClient container, BlobContainerStatus status) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!status.IsCreated)
        {
            return HealthCheckResult.Unhealthy("The blob container is not created yet.");
        }

        try
        {
            await container.GetPropertiesAsync(cancellationToken: cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is RequestFailedException || BlobFailures.IsUnavailable(exception))
        {
            return HealthCheckResult.Unhealthy("Blob storage does not answer for the container.", exception);
        }
    }
}
