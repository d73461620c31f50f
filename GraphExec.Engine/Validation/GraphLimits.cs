namespace GraphExec.Engine.Validation;

/// <summary>The size limits a graph must respect.</summary>
public sealed record GraphLimits
{
    public int MaxNodes { get; init; } = 10_000;

    public int MaxEdges { get; init; } = 50_000;

    /// <summary>Largest node config, as JSON text in bytes.</summary>
    public int MaxConfigBytes { get; init; } = 1024 * 1024;

    /// <summary>Largest graph document, in bytes of UTF-8.</summary>
    public int MaxDocumentBytes { get; init; } = 32 * 1024 * 1024;

    public int MaxNameLength { get; init; } = 200;

    public int MaxDescriptionLength { get; init; } = 10_000;

    /// <summary>The errors for a graph with more nodes or edges than allowed.</summary>
    internal List<ValidationError> CountErrors(int nodes, int edges)
    {
        var errors = new List<ValidationError>();
        if (nodes > MaxNodes)
        {
            errors.Add(new ValidationError("/nodes", ValidationCodes.TooManyNodes, $"A graph has at most {MaxNodes} nodes; this one has {nodes}."));
        }

        if (edges > MaxEdges)
        {
            errors.Add(new ValidationError("/edges", ValidationCodes.TooManyEdges, $"A graph has at most {MaxEdges} edges; this one has {edges}."));
        }

        return errors;
    }
}
