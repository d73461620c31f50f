namespace GraphExec.Engine.Blocks;

/// <summary>A problem with a node's config; <paramref name="Pointer"/> is relative to the config object.</summary>
public sealed record ConfigError(string Pointer, string Message);
