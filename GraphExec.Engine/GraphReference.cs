namespace GraphExec.Engine;

/// <summary>A saved graph version, as the subgraph and foreach blocks name it.</summary>
public sealed record GraphReference(Guid GraphId, int Version)
{
    public override string ToString() => $"graph {GraphId} version {Version}";
}
