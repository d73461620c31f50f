using System.Globalization;
using System.Security.Claims;
using GraphExec.Web.Api;

namespace GraphExec.Web.Account;

/// <summary>
/// The claims of a signed-in person's cookie: the Api access token and when it expires, and the session's refresh token and
/// when the session ends. The cookie is encrypted with Data Protection, so the tokens never reach the browser in readable form.
/// </summary>
public static class SessionClaims
{
    public const string AccessToken = "graphexec:access_token";
    public const string ExpiresAt = "graphexec:expires_at";
    public const string RefreshToken = "graphexec:refresh_token";
    public const string SessionExpiresAt = "graphexec:session_expires_at";

    public static ClaimsPrincipal Create(string username, TokenResponse token, string authenticationType) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, username),
                new Claim(AccessToken, token.AccessToken),
                new Claim(ExpiresAt, UnixSeconds(token.ExpiresAt)),
                new Claim(RefreshToken, token.RefreshToken),
                new Claim(SessionExpiresAt, UnixSeconds(token.RefreshExpiresAt)),
            ],
            authenticationType));

    public static string? AccessTokenOf(ClaimsPrincipal user) => user.FindFirst(AccessToken)?.Value;

    public static DateTimeOffset? ExpiresAtOf(ClaimsPrincipal user) => TimeOf(user, ExpiresAt);

    public static string? RefreshTokenOf(ClaimsPrincipal user) => user.FindFirst(RefreshToken)?.Value;

    /// <summary>When the session ends (it cannot be refreshed past it); the access token's expiry for a cookie without a session.</summary>
    public static DateTimeOffset? SessionExpiresAtOf(ClaimsPrincipal user) =>
        RefreshTokenOf(user) is null ? ExpiresAtOf(user) : TimeOf(user, SessionExpiresAt);

    /// <summary>Signed in with an access token that is still good for at least <paramref name="margin"/>.</summary>
    public static bool IsValid(ClaimsPrincipal user, DateTimeOffset now, TimeSpan margin = default) =>
        user.Identity?.IsAuthenticated == true && AccessTokenOf(user) is not null && ExpiresAtOf(user) is { } expiresAt && expiresAt - margin > now;

    /// <summary>
    /// Signed in with a session that has not ended: its access token may have expired, but the refresh token beside it can
    /// still get a new one.
    /// </summary>
    public static bool HasSession(ClaimsPrincipal user, DateTimeOffset now) =>
        user.Identity?.IsAuthenticated == true && AccessTokenOf(user) is not null && SessionExpiresAtOf(user) is { } endsAt && endsAt > now;

    private static string UnixSeconds(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset? TimeOf(ClaimsPrincipal user, string claim) =>
        long.TryParse(user.FindFirst(claim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
