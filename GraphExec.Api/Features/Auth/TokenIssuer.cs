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
        var now = time.GetUtcNow();
        var expires = Min(now + jwt.AccessTokenLifetime, sessionEndsAt);
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, userId.ToString()),
                new Claim(JwtRegisteredClaimNames.Name, username),
                new Claim(AuthenticationExtensions.SessionIdClaim, sessionId.ToString()),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            ]),
            SigningCredentials = new SigningCredentials(AuthenticationExtensions.SigningKey(jwt), SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
