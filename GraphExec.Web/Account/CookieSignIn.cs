using System.Security.Claims;
using GraphExec.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace GraphExec.Web.Account;

/// <summary>
/// Signs a person into the Web app with the Api tokens they were just given, for as long as their session lasts: the access
/// token is renewed with the refresh token beside it as it nears its end (see <see cref="SessionCookieEvents"/>).
/// </summary>
public static class CookieSignIn
{
    public static Task SignInAsync(HttpContext context, string username, TokenResponse token) =>
        context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Principal(username, token), Properties(token));

    public static ClaimsPrincipal Principal(string username, TokenResponse token) =>
        SessionClaims.Create(username, token, CookieAuthenticationDefaults.AuthenticationScheme);

    /// <summary>The cookie ends with the session, not with the access token it carries.</summary>
    public static AuthenticationProperties Properties(TokenResponse token) =>
        new() { IsPersistent = true, ExpiresUtc = token.RefreshExpiresAt, AllowRefresh = false };

    /// <summary>Only a path of this site: a sign-in link must not send a person elsewhere.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 1 } url && url[0] == '/' && url[1] != '/' && url[1] != '\\' && !url.StartsWith("/signin", StringComparison.OrdinalIgnoreCase)
            ? url
            : "/graphs";
}
