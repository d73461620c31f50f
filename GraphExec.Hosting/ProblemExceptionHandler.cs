using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace GraphExec.Hosting;

/// <summary>
/// Turns what a client sent wrong (unreadable JSON, a body over the limit) into its 4xx problem, and an unreachable
/// database into 503 with <c>Retry-After</c>. Anything else is a 500 without details: it is a bug, logged.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "The request is not valid.", bad.Message),
            _ when DatabaseFailures.IsUnavailable(exception) && !cancellationToken.IsCancellationRequested =>
                (StatusCodes.Status503ServiceUnavailable, "The service is temporarily unavailable.", "Try again in a few seconds."),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred.", null),
        };

        if (status >= StatusCodes.Status500InternalServerError)
        {
            LogFailed(logger, exception, context.Request.Method, context.Request.Path);
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "5";
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, string path);
}
