using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GraphExec.ServiceDefaults;

public static class AuthenticationExtensions
{
    /// <summary>Where an external authority is configured instead of <see cref="JwtOptions.SigningKey"/>.</summary>
    public const string ExternalAuthoritySetting = "Authentication:Schemes:Bearer:Authority";

    /// <summary>Browsers cannot set headers on WebSockets, so hub connections carry the token in the query.</summary>
    private const string HubPathPrefix = "/hubs";

    /// <summary>The claim naming the session a token belongs to (the registered JWT claim <c>sid</c>); see <see cref="IRevokedSessions"/>.</summary>
    public const string SessionIdClaim = JwtRegisteredClaimNames.Sid;

    /// <summary>How far a token's times may be off the validator's clock.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private const int MinKeyLength = 32;

    /// <summary>
    /// JWT bearer authentication with every check on (issuer, audience, lifetime, signature) and 30 s of clock skew,
    /// for the Api and Live alike. A token of a session that has ended (signed out) is refused as soon as the service's
    /// <see cref="IRevokedSessions"/>, when it registers one, knows it. With <paramref name="acceptLiveTickets"/> (Live only),
    /// tokens of <see cref="JwtOptions.LiveAudience"/> are accepted too.
    /// </summary>
    public static TBuilder AddGraphExecAuthentication<TBuilder>(this TBuilder builder, bool acceptLiveTickets = false) where TBuilder : IHostApplicationBuilder
    {
        var external = !string.IsNullOrWhiteSpace(builder.Configuration[ExternalAuthoritySetting]);
        builder.Services.AddOptions<JwtOptions>()
            .BindConfiguration(JwtOptions.Section)
            .ValidateDataAnnotations()
            .Validate(options => external || options.SigningKey is not null, "Jwt:SigningKey is required unless an external authority is configured.")
            .Validate(options => options.PreviousSigningKeys.All(key => key.Length >= MinKeyLength), "Every Jwt:PreviousSigningKeys entry needs at least 32 characters.")
            .ValidateOnStart();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>>((bearer, jwt) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters.ValidateIssuer = true;
                bearer.TokenValidationParameters.ValidateAudience = true;
                bearer.TokenValidationParameters.ValidateLifetime = true;
                bearer.TokenValidationParameters.ValidateIssuerSigningKey = true;
                bearer.TokenValidationParameters.RequireExpirationTime = true;
                bearer.TokenValidationParameters.RequireSignedTokens = true;
                bearer.TokenValidationParameters.ClockSkew = ClockSkew;
                bearer.TokenValidationParameters.NameClaimType = JwtRegisteredClaimNames.Name;
                if (!external)
                {
                    bearer.TokenValidationParameters.ValidIssuer = jwt.Value.Issuer;
                    bearer.TokenValidationParameters.ValidAudiences = acceptLiveTickets ? [jwt.Value.Audience, jwt.Value.LiveAudience] : [jwt.Value.Audience];
                    bearer.TokenValidationParameters.IssuerSigningKeys = [SigningKey(jwt.Value), .. jwt.Value.PreviousSigningKeys.Select(Key)];
                    bearer.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
                }

                bearer.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        if (context.Request.Path.StartsWithSegments(HubPathPrefix)
                            && context.Request.Query["access_token"] is [{ Length: > 0 } token])
                        {
                            context.Token = token;
                        }

                        return Task.CompletedTask;
                    },
                    OnTokenValidated = RefuseRevokedSessionsAsync,
                };
            });
        builder.Services.AddAuthorization();
        return builder;
    }

    private static async Task RefuseRevokedSessionsAsync(TokenValidatedContext context)
    {
        if (context.Principal?.FindFirstValue(SessionIdClaim) is { Length: > 0 } sessionId
            && context.HttpContext.RequestServices.GetService<IRevokedSessions>() is { } revoked
            && await revoked.IsRevokedAsync(sessionId, context.HttpContext.RequestAborted))
        {
            context.Fail("The session of this token has ended.");
        }
    }

    /// <summary>The key new tokens are signed with.</summary>
    public static SymmetricSecurityKey SigningKey(JwtOptions options) =>
        Key(options.SigningKey ?? throw new InvalidOperationException("Jwt:SigningKey is not set."));

    /// <summary>
    /// A key with its id (<c>kid</c>, written in each token's header): the first bytes of its SHA-256, so that services
    /// agree on ids without configuring them and a validator picks the one key that signed a token.
    /// </summary>
    private static SymmetricSecurityKey Key(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        return new SymmetricSecurityKey(bytes) { KeyId = Base64UrlEncoder.Encode(SHA256.HashData(bytes)[..12]) };
    }

    /// <summary>
    /// The <c>owner_id</c> of everything the caller owns: the <c>sub</c> of GraphExec's tokens is the user's id. An external
    /// authority's subject that is not a UUID maps to a stable UUID derived from issuer and subject.
    /// </summary>
    public static Guid OwnerId(this ClaimsPrincipal user)
    {
        var subject = user.FindFirstValue(JwtRegisteredClaimNames.Sub)
            ?? throw new InvalidOperationException("An authenticated caller has no 'sub' claim.");
        if (Guid.TryParse(subject, out var id))
        {
            return id;
        }

        var issuer = user.FindFirstValue(JwtRegisteredClaimNames.Iss) ?? "";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{issuer}\n{subject}"));
        // Version 8 (custom) UUID: RFC 9562 leaves the bits to us, apart from version and variant.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
