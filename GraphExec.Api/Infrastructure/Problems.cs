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

    /// <summary>Checks a <c>cursor</c> query value that holds the id of the last item of the previous page.</summary>
    public static ValidationProblem? CheckCursor(string? cursor, out Guid? after)
    {
        after = null;
        if (cursor is null)
        {
            return null;
        }

        if (!Paging.TryDecode(cursor, out Guid id))
        {
            return Invalid("cursor", "The cursor is not one this API gave out.");
        }

        after = id;
        return null;
    }

    /// <summary>Checks a <c>limit</c> query value; null means the default.</summary>
    public static ValidationProblem? CheckLimit(int? limit, out int take)
    {
        take = limit ?? Paging.DefaultLimit;
        return take is < 1 or > Paging.MaxLimit
            ? Invalid("limit", $"The limit must be between 1 and {Paging.MaxLimit}.")
            : null;
    }
}
