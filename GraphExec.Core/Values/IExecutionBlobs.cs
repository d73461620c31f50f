namespace GraphExec.Core.Values;

/// <summary>
/// The values of executions kept in object storage rather than in PostgreSQL (those above the inline threshold), as
/// retention and the orphan collector see them: every blob belongs to one execution, and goes with it.
/// </summary>
public interface IExecutionBlobs
{
    /// <summary>Deletes every blob of these executions; a blob already gone is not an error.</summary>
    Task DeleteAsync(IReadOnlyCollection<ExecutionKey> executions, CancellationToken cancellationToken);
}

/// <summary>An execution, by its owner (the distribution column) and id.</summary>
public readonly record struct ExecutionKey(Guid OwnerId, Guid ExecutionId);
