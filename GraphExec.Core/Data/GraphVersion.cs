namespace GraphExec.Core.Data;

/// <summary>One saved, immutable definition of a graph.</summary>
public sealed class GraphVersion
{
    public Guid OwnerId { get; set; }

    public Guid GraphId { get; set; }

    public int Version { get; set; }

    /// <summary>The graph JSON, stored as <c>jsonb</c>.</summary>
    public required string Definition { get; set; }

    /// <summary>The definition's size as saved (UTF-8 bytes), counted against the owner's stored bytes while the version is kept.</summary>
    public int SizeBytes { get; set; }

    /// <summary>
    /// A subgraph or foreach of some saved graph names this version, so it is kept however many versions follow: removing
    /// it would break that graph.
    /// </summary>
    public bool Pinned { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
