using System.Diagnostics.CodeAnalysis;

namespace GraphExec.Engine.Graphs;

/// <summary>One end of an edge: <c>nodeId.port</c>.</summary>
public readonly record struct PortAddress(string NodeId, string Port)
{
    public static bool TryParse(string text, [NotNullWhen(true)] out PortAddress? address)
    {
        address = null;
        var dot = text.IndexOf('.');
        if (dot < 0 || text.IndexOf('.', dot + 1) >= 0)
        {
            return false;
        }

        var node = text.AsSpan(0, dot);
        var port = text.AsSpan(dot + 1);
        if (!Names.IsValid(node) || !Names.IsValid(port))
        {
            return false;
        }

        address = new PortAddress(node.ToString(), port.ToString());
        return true;
    }

    public override string ToString() => $"{NodeId}.{Port}";
}
