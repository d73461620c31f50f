namespace GraphExec.Core.Data;

/// <summary>A user's graph: its name and the number of its newest version. The definitions live in <see cref="GraphVersion"/>.</summary>
public sealed class Graph
{
    public Guid OwnerId { get; set; }

    public Guid Id { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>The newest version; versions count from 1.</summary>
    public int Version { get; set; }

    /// <summary>
    /// The newest version's <c>settings.errorGraphId</c>, kept on the row so that the statement ending a failed run finds
    /// it without reading the definition (see <see cref="Executions.ExecutionStore"/>).
    /// </summary>
    public Guid? ErrorGraphId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// Set when the user deletes the graph. The row and its versions stay, because executions pin the version they
    /// ran; every query for the user's graphs leaves deleted ones out.
    /// </summary>
    public DateTimeOffset? DeletedAt { get; set; }
}
