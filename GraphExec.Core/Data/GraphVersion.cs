namespace GraphExec.Core.Data;

/// <summary>One saved, immutable definition of a graph.</summary>
public sealed class GraphVersion
{
    public Guid OwnerId { get; set; }

    public Guid GraphId { get; set; }

    public int Version { get; set; }

    /// <summary>The graph JSON, stored as <c>jsonb</c>.</summary>
    public required string Definition { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
