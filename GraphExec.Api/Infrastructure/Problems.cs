using GraphExec.Core.Graphs;
using GraphExec.Engine.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GraphExec.Api.Infrastructure;

/// <summary>RFC 9457 problem documents that name the field or graph location at fault.</summary>
public static class Problems
{
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>
    /// Every error, grouped by its JSON pointer under <c>errors</c>, and as a list with stable codes under <c>issues</c>
    /// so that clients (the UI) can place each one on the node and field at fault.
    /// </summary>
    public static ValidationProblem Invalid(IReadOnlyList<ValidationError> errors, string title) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(error => error.Pointer).ToDictionary(group => group.Key, group => group.Select(error => error.Message).ToArray()),
            title: title,
            extensions: new Dictionary<string, object?>
            {
                ["issues"] = errors.Select(error => new { pointer = error.Pointer, code = error.Code, message = error.Message }).ToArray(),
            });

    /// <summary>The <c>code</c> of a retry of an execution that did not fail, time out or get cancelled.</summary>
    public const string NotRetriable = "execution_not_retriable";

    /// <summary>409: the resource is not in a state that allows the request; <paramref name="code"/> says which rule.</summary>
    public static ProblemHttpResult Conflict(string code, string title, string detail) =>
        TypedResults.Problem(
            title: title, detail: detail, statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>409 for a graph whose newest version no longer validates: it cannot run until it is saved again.</summary>
    public static ProblemHttpResult NoLongerValid(NewestPlan.NoLongerValid newest) =>
        TypedResults.Problem(title: "The graph's saved version is no longer valid.", detail: newest.Message, statusCode: StatusCodes.Status409Conflict);
}
