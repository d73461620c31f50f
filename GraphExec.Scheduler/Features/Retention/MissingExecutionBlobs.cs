using GraphExec.Core.Values;

namespace GraphExec.Scheduler.Features.Retention;

/// <summary>
/// Stands in for <see cref="IExecutionBlobs"/> until blob storage is configured (registered only if nothing else is):
/// without it no execution has blobs, and one that does is never deleted here, since its blobs could not be.
/// </summary>
public sealed class MissingExecutionBlobs : IExecutionBlobs
{
    public Task DeleteAsync(IReadOnlyCollection<ExecutionKey> executions, CancellationToken cancellationToken) =>
        executions.Count == 0 ? Task.CompletedTask
            : throw new InvalidOperationException(
                $"{executions.Count} expired executions keep values in object storage, but no blob storage is configured: they are kept until it is.");
}
