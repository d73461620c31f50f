namespace GraphExec.Engine.Blocks.Http;

/// <summary>A connection refused by the <see cref="SsrfGuard"/>.</summary>
public sealed class SsrfRefusedException(string message) : IOException(message);
