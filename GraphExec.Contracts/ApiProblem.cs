namespace GraphExec.Contracts;

/// <summary>
/// A call to the Api that did not succeed, already turned into words for a person: <see cref="Message"/> never holds a
/// stack trace or a raw response. <see cref="Issues"/> are the located problems of an RFC 9457 validation answer.
/// </summary>
public sealed class ApiProblem(int? status, string message, IReadOnlyList<ValidationIssue> issues, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The HTTP status, or null when the Api could not be reached.</summary>
    public int? Status { get; } = status;

    public IReadOnlyList<ValidationIssue> Issues { get; } = issues;

    public bool IsNotFound => Status == 404;

    /// <summary>The messages located at <paramref name="pointer"/> (e.g. <c>/inputs/who</c> or <c>cron</c>).</summary>
    public IEnumerable<string> MessagesAt(string pointer) =>
        Issues.Where(issue => issue.Pointer == pointer || issue.Pointer == "/" + pointer || issue.Pointer.TrimStart('/') == pointer.TrimStart('/'))
            .Select(issue => issue.Message);
}
