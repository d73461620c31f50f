using System.Collections.Concurrent;
using GraphExec.Core.Values;

namespace GraphExec.Scheduler.Tests;

/// <summary>Records which executions' blobs retention deleted, standing in for object storage.</summary>
public sealed class RecordingExecutionBlobs : IExecutionBlobs
{
    private readonly ConcurrentQueue<ExecutionKey> _deleted = new();

    public IReadOnlyCollection<ExecutionKey> Deleted => [.. _deleted];

    public Task DeleteAsync(IReadOnlyCollection<ExecutionKey> executions, CancellationToken cancellationToken)
    {
        foreach (var execution in executions)
        {
            _deleted.Enqueue(execution);
        }

        return Task.CompletedTask;
    }
}
