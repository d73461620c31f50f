namespace GraphExec.Hosting.Blobs;

/// <summary>Whether this process has seen its blob container exist (created at start when it was missing).</summary>
public sealed class BlobContainerStatus
{
    private readonly TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the container exists; work that writes blobs may await it rather than fail at start.</summary>
    public Task Created => _created.Task;

    public bool IsCreated => _created.Task.IsCompletedSuccessfully;

    internal void MarkCreated() => _created.TrySetResult();
}
