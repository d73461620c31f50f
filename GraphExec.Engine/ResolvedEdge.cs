namespace GraphExec.Engine;

/// <summary>An edge with its ends turned into node and port indices.</summary>
internal readonly record struct ResolvedEdge(int FromNode, int FromPort, int ToNode, int ToPort);
