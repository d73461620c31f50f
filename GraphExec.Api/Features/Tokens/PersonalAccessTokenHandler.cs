using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using GraphExec.Api.Features.Auth;
using GraphExec.Core.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace GraphExec.Api.Features.Tokens;

/// <summary>
/// Authenticates <c>Authorization: Bearer gxp_…</c> as the token's owner: the same <c>sub</c> as the owner's own sessions,
/// so that every per-user rule (isolation, rate limits, quotas) holds unchanged, plus the token's scopes. A revoked or
/// expired token, or one that never existed, answers 401. Each request looks the token up by its hash, so that a revocation
/// holds on every replica at once.
/// </summary>
public sealed class PersonalAccessTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PersonalAccessToken";

    /// <summary>The claim that carries the token's id.</summary>
    public const string TokenIdClaim = "token_id";

    /// <summary>How stale <see cref="AccessToken.LastUsedAt"/> may be: it is written at most this often per token.</summary>
    public static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    /// <summary>Whether a request carries a personal access token (rather than a JWT) as its bearer token.</summary>
    public static bool Carries(HttpRequest request) => TokenOf(request) is { } token && token.StartsWith(SecretTokens.PersonalAccessTokenPrefix, StringComparison.Ordinal);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (TokenOf(Request) is not { } token)
        {
            return AuthenticateResult.NoResult();
        }

        if (!SecretTokens.IsWellFormed(token, SecretTokens.PersonalAccessTokenPrefix))
        {
            return AuthenticateResult.Fail("This is not a personal access token of this service.");
        }

        var db = Context.RequestServices.GetRequiredService<GraphExecDbContext>();
        var hash = SecretTokens.Hash(token);
        var found = await db.AccessTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash)
            .Select(t => new { t.OwnerId, t.Id, t.Scopes, t.ExpiresAt, t.LastUsedAt, t.RevokedAt })
            .SingleOrDefaultAsync(Context.RequestAborted);
        var now = TimeProvider.GetUtcNow();
        if (found is null || found.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("The personal access token is unknown or has been revoked.");
        }

        if (found.ExpiresAt <= now)
        {
            return AuthenticateResult.Fail("The personal access token has expired.");
        }

        if (found.LastUsedAt is not { } lastUsed || now - lastUsed >= LastUsedPrecision)
        {
            // Conditional, so that of the replicas that see the token in the same minute only one writes.
            var stale = now - LastUsedPrecision;
            await db.AccessTokens
                .Where(t => t.OwnerId == found.OwnerId && t.Id == found.Id && (t.LastUsedAt == null || t.LastUsedAt <= stale))
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
        }

        Claim[] claims =
        [
            new(JwtRegisteredClaimNames.Sub, found.OwnerId.ToString()),
            new(TokenIdClaim, found.Id.ToString()),
            // As a JWT says when it expires, so that what a caller is given (a Live ticket) never outlives the token.
            new(JwtRegisteredClaimNames.Exp, found.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
            .. found.Scopes.Select(scope => new Claim(Scopes.ClaimType, scope)),
        ];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, JwtRegisteredClaimNames.Name, null));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // As RFC 6750 asks of a bearer token that was refused; the body is the problem document of the 401.
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure is { } failure
            ? $"Bearer error=\"invalid_token\", error_description=\"{failure.Message}\""
            : "Bearer";
    }

    private static string? TokenOf(HttpRequest request) =>
        AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
        && string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            ? header.Parameter
            : null;
}
