using System.Net;
using System.Text.Json;

namespace GraphExec.Contracts;

/// <summary>Turns an unsuccessful Api answer (an RFC 9457 problem document, or anything else) into an <see cref="ApiProblem"/>.</summary>
public static class ProblemReader
{
    public static async Task<ApiProblem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string? title = null, detail = null;
        var issues = new List<ValidationIssue>();
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (text.Length > 0 && text[0] == '{')
            {
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                title = Text(root, "title");
                detail = Text(root, "detail");
                if (root.TryGetProperty("issues", out var located) && located.ValueKind == JsonValueKind.Array)
                {
                    issues.AddRange(located.EnumerateArray().Select(issue =>
                        new ValidationIssue(Text(issue, "pointer") ?? "", Text(issue, "code") ?? "", Text(issue, "message") ?? "")));
                }
                else if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                {
                    foreach (var field in errors.EnumerateObject())
                    {
                        issues.AddRange(field.Value.EnumerateArray().Select(message => new ValidationIssue(field.Name, "", message.GetString() ?? "")));
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's error page): the status alone decides the message.
        }

        return new ApiProblem(status, MessageFor(response, title, detail, issues), issues);
    }

    public static ApiProblem Unreachable(Exception exception) =>
        new(null, "GraphExec can't be reached right now. Check your connection and try again in a moment.", [], exception);

    private static string MessageFor(HttpResponseMessage response, string? title, string? detail, List<ValidationIssue> issues) =>
        response.StatusCode switch
        {
            HttpStatusCode.BadRequest when issues.Count == 1 && title is null => issues[0].Message,
            HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity =>
                Join(title ?? "That was not accepted.", detail),
            HttpStatusCode.NotFound => "That no longer exists, or it isn't yours.",
            HttpStatusCode.RequestEntityTooLarge => "That is too large to save.",
            HttpStatusCode.TooManyRequests => $"{(detail ?? "Too many requests.").TrimEnd('.')}. " + (response.Headers.RetryAfter?.Delta is { } wait
                ? $"Try again in {Math.Ceiling(wait.TotalSeconds)} s."
                : "Try again in a moment."),
            HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout =>
                "GraphExec is busy or restarting. Try again in a moment.",
            >= HttpStatusCode.InternalServerError => "Something went wrong on our side. Try again; if it keeps happening, tell us.",
            _ => Join(title ?? "That did not work.", detail),
        };

    private static string Join(string title, string? detail) =>
        string.IsNullOrWhiteSpace(detail) || detail == title ? title : $"{title.TrimEnd('.')}: {detail}";

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
