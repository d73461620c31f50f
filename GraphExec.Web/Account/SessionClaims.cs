using System.Globalization;
using System.Security.Claims;

namespace GraphExec.Web.Account;

/// <summary>
/// The claims of a signed-in person's cookie: the Api access token and when it expires. The cookie is encrypted with
/// Data Protection, so the token never reaches the browser in readable form.
/// </summary>
public static class SessionClaims
{
    public const string AccessToken = "graphexec:access_token";
    public const string ExpiresAt = "graphexec:expires_at";

    public static ClaimsPrincipal Create(string username, string accessToken, DateTimeOffset expiresAt, string authenticationType) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, username),
                new Claim(AccessToken, accessToken),
                new Claim(ExpiresAt, expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            ],
            authenticationType));

    public static string? AccessTokenOf(ClaimsPrincipal user) => user.FindFirst(AccessToken)?.Value;

    public static DateTimeOffset? ExpiresAtOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst(ExpiresAt)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>Signed in with a token that is still good for at least <paramref name="margin"/>.</summary>
    public static bool IsValid(ClaimsPrincipal user, DateTimeOffset now, TimeSpan margin = default) =>
        user.Identity?.IsAuthenticated == true && AccessTokenOf(user) is not null && ExpiresAtOf(user) is { } expiresAt && expiresAt - margin > now;
}
