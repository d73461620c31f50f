using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace GraphExec.Api.Infrastructure;

/// <summary>
/// A refusal of an authenticated caller answers 403 with a problem document that says why, and for a missing scope names
/// it (in the body and, as RFC 6750 asks, in <c>WWW-Authenticate</c>); everything else is ASP.NET Core's usual answer.
/// </summary>
public sealed class AuthorizationProblems(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden || authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault() is not { } reason)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var problem = new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Not allowed.", Detail = reason.Message };
        if (reason is MissingScope missing)
        {
            problem.Title = "The token lacks a scope.";
            problem.Extensions["scope"] = missing.Scope;
            context.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{missing.Scope}\"";
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
