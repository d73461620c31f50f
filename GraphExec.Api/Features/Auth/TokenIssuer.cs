using System.Security.Claims;
using GraphExec.Core.Data;
using GraphExec.ServiceDefaults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GraphExec.Api.Features.Auth;

/// <summary>Signs GraphExec's own access tokens (HMAC-SHA256 with the key from the <c>jwt-signing-key</c> parameter).</summary>
public sealed class TokenIssuer(IOptions<JwtOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    public TokenResponse Issue(User user)
    {
        var jwt = options.Value;
        var now = time.GetUtcNow();
        var expires = now + jwt.AccessTokenLifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, user.Id.ToString()),
                new Claim(JwtRegisteredClaimNames.Name, user.Username),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            ]),
            SigningCredentials = new SigningCredentials(AuthenticationExtensions.SigningKey(jwt), SecurityAlgorithms.HmacSha256),
        });
        return new TokenResponse(token, expires);
    }
}
