namespace GraphExec.Contracts;

/// <summary>
/// One located problem of a refused request: an RFC 6901 pointer into what was sent (<c>/nodes/2/config/template</c>,
/// <c>/cron</c>), the Api's stable code (empty when the answer gave none), and a message for a person.
/// </summary>
public sealed record ValidationIssue(string Pointer, string Code, string Message);
