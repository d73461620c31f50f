namespace GraphExec.Web.Graphs.Editing;

/// <summary>One end of an edge as the graph JSON writes it: <c>node.port</c>.</summary>
public readonly record struct PortRef(string Node, string Port)
{
    /// <summary>
    /// The input a node that takes inputs by name (a template's variables) offers for a new connection; connecting to
    /// it adds an input named after the node the edge comes from.
    /// </summary>
    public const string NewInput = "+";

    public static PortRef? Parse(string? address) =>
        address?.Split('.') is [{ Length: > 0 } node, { Length: > 0 } port] ? new PortRef(node, port) : null;

    public override string ToString() => $"{Node}.{Port}";
}
