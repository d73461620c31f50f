using GraphExec.Contracts;
using GraphExec.Web.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GraphExec.Web.Account;

public static partial class AccountEndpoints
{
    /// <summary>
    /// The header the page's script sends with a renewal: a form or a link of another site cannot send it, and a script of
    /// another origin would need a preflight that this site does not answer.
    /// </summary>
    public const string RenewHeader = "X-GraphExec-Renew";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder routes)
    {
        // A form post with its antiforgery token, so that no link or image on another site can sign a person out.
        routes.MapPost("/signout", (Delegate)SignOutAsync).WithMetadata(new RequireAntiforgeryTokenAttribute());
        routes.MapPost("/account/renew", Renew);
        return routes;
    }

    private static async Task<RedirectHttpResult> SignOutAsync(HttpContext context, ApiClient api, ILoggerFactory loggers)
    {
        // The session ends at the Api as well, so that its tokens stop working everywhere, not only in this browser.
        if (SessionClaims.AccessTokenOf(context.User) is { } accessToken)
        {
            try
            {
                await api.SignOutAsync(accessToken, context.RequestAborted);
            }
            catch (Exception exception) when (exception is ApiProblem or SessionExpiredException)
            {
                LogNotEnded(loggers.CreateLogger(typeof(AccountEndpoints)), exception);
            }
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect("/signin?signedOut=true");
    }

    /// <summary>
    /// For a page's circuit whose access token nears its end: this request's cookie has just been renewed (the answer
    /// carries the renewed cookie), and the answer hands the circuit its access token, sealed (<see cref="AccessTicket"/>).
    /// </summary>
    private static Results<Ok<RenewedSession>, UnauthorizedHttpResult, BadRequest> Renew(
        HttpContext context, IDataProtectionProvider protection, TimeProvider time)
    {
        if (!context.Request.Headers.ContainsKey(RenewHeader))
        {
            return TypedResults.BadRequest();
        }

        var user = context.User;
        if (!SessionClaims.IsValid(user, time.GetUtcNow()) || user.Identity?.Name is not { } username)
        {
            return TypedResults.Unauthorized();
        }

        var ticket = new AccessTicket(SessionClaims.AccessTokenOf(user)!, SessionClaims.ExpiresAtOf(user)!.Value);
        return TypedResults.Ok(new RenewedSession(ticket.Seal(protection, username)));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signed out of the Web only: the Api did not end the session")]
    private static partial void LogNotEnded(ILogger logger, Exception exception);
}

/// <param name="Ticket">The circuit's next access token, sealed.</param>
public sealed record RenewedSession(string Ticket);
