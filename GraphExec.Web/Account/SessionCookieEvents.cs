using GraphExec.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace GraphExec.Web.Account;

/// <summary>
/// Keeps a person signed in for as long as their session lasts: on a request that comes shortly before the access token in
/// the cookie expires, the refresh token beside it gets the next pair (once, see <see cref="SessionRenewal"/>) and the cookie
/// is written again with them. A session that the Api has ended (signed out, expired, its refresh token used twice) signs the
/// cookie out. When the Api does not answer, the cookie stays as it is and a later request tries again.
/// </summary>
public sealed class SessionCookieEvents(SessionRenewal renewal, ApiClient api, TimeProvider time) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var user = context.Principal;
        var now = time.GetUtcNow();
        if (user is null || SessionClaims.IsValid(user, now, SessionRenewal.Margin))
        {
            return;
        }

        if (SessionClaims.RefreshTokenOf(user) is not { } refreshToken || !SessionClaims.HasSession(user, now))
        {
            if (!SessionClaims.IsValid(user, now))
            {
                await EndAsync(context);
            }

            return;
        }

        var renewed = await renewal.RenewAsync(refreshToken, api, context.HttpContext.RequestAborted);
        if (renewed.Tokens is { } tokens && user.Identity?.Name is { } username)
        {
            var principal = CookieSignIn.Principal(username, tokens);
            context.ReplacePrincipal(principal);
            // Written with the session's end as the cookie's, which renewing the ticket in place would not keep.
            await context.HttpContext.SignInAsync(context.Scheme.Name, principal, CookieSignIn.Properties(tokens));
        }
        else if (renewed.Ended)
        {
            await EndAsync(context);
        }
    }

    private static async Task EndAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(context.Scheme.Name);
    }
}
