using System.Security.Claims;
using GraphExec.ServiceDefaults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GraphExec.Api.Features.Auth;

/// <summary>Signs GraphExec's own access tokens (HMAC-SHA256 with the key from the <c>jwt-signing-key</c> parameter).</summary>
public sealed class TokenIssuer(IOptions<JwtOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>
    /// An access token of the session <paramref name="sessionId"/> (its <c>sid</c>), good for the configured lifetime but
    /// never beyond <paramref name="sessionEndsAt"/>.
    /// </summary>
    public (string Token, DateTimeOffset ExpiresAt) Issue(Guid userId, string username, Guid sessionId, DateTimeOffset sessionEndsAt)
    {
        var jwt = options.Value;
        return Sign(jwt.Audience, jwt.AccessTokenLifetime, sessionEndsAt,
            new Claim(JwtRegisteredClaimNames.Sub, userId.ToString()),
            new Claim(JwtRegisteredClaimNames.Name, username),
            new Claim(AuthenticationExtensions.SessionIdClaim, sessionId.ToString()));
    }

    /// <summary>
    /// A Live ticket of the user <paramref name="userId"/>: a token of <see cref="JwtOptions.LiveAudience"/> only, good for
    /// <see cref="JwtOptions.LiveTicketLifetime"/> but never beyond <paramref name="callerEndsAt"/>. Its <c>sid</c> is
    /// <paramref name="revocationId"/> (the caller's session, or personal access token), so that ending that ends the ticket.
    /// </summary>
    public (string Token, DateTimeOffset ExpiresAt) IssueLiveTicket(Guid userId, string revocationId, DateTimeOffset callerEndsAt)
    {
        var jwt = options.Value;
        return Sign(jwt.LiveAudience, jwt.LiveTicketLifetime, callerEndsAt,
            new Claim(JwtRegisteredClaimNames.Sub, userId.ToString()),
            new Claim(AuthenticationExtensions.SessionIdClaim, revocationId));
    }

    private (string Token, DateTimeOffset ExpiresAt) Sign(string audience, TimeSpan lifetime, DateTimeOffset endsAt, params Claim[] claims)
    {
        var jwt = options.Value;
        var now = time.GetUtcNow();
        var expires = Min(now + lifetime, endsAt);
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity([.. claims, new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N"))]),
            SigningCredentials = new SigningCredentials(AuthenticationExtensions.SigningKey(jwt), SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
