namespace GraphExec.Engine.Validation;

/// <summary>
/// One problem in a graph: where (an RFC 6901 pointer into the graph JSON, "" for the whole document),
/// a stable code from <see cref="ValidationCodes"/>, and a message for the person who wrote the graph.
/// </summary>
public sealed record ValidationError(string Pointer, string Code, string Message);
