using GraphExec.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace GraphExec.Web.Account;

/// <summary>Signs a person into the Web app with the Api token they were just given, for exactly as long as it lives.</summary>
public static class CookieSignIn
{
    public static Task SignInAsync(HttpContext context, string username, TokenResponse token) =>
        context.SignInAsync(
            CookieAuthenticationDefaults.AuthenticationScheme,
            SessionClaims.Create(username, token.AccessToken, token.ExpiresAt, CookieAuthenticationDefaults.AuthenticationScheme),
            new AuthenticationProperties { IsPersistent = true, ExpiresUtc = token.ExpiresAt, AllowRefresh = false });

    /// <summary>Only a path of this site: a sign-in link must not send a person elsewhere.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 1 } url && url[0] == '/' && url[1] != '/' && url[1] != '\\' && !url.StartsWith("/signin", StringComparison.OrdinalIgnoreCase)
            ? url
            : "/graphs";
}
