namespace GraphExec.Hosting;

/// <summary>Whether this process has seen the database schema migrated to what its code expects.</summary>
public sealed class DatabaseSchema
{
    private readonly TaskCompletionSource _migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the migrations are applied; work that needs the schema awaits it.</summary>
    public Task Migrated => _migrated.Task;

    public bool IsMigrated => _migrated.Task.IsCompletedSuccessfully;

    internal void MarkMigrated() => _migrated.TrySetResult();
}
