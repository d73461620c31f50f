namespace GraphExec.Engine.Blocks;

/// <summary>An input or output of a block. A required input must be connected by an edge.</summary>
public sealed record PortDescriptor(string Name, PortType Type, string Description, bool Required = false);
