using System.Security.Claims;
using GraphExec.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GraphExec.Api.Tests;

/// <summary>The Api in-process on the run's own database, virtual host and key prefix, with a known signing key.</summary>
public sealed class ApiApp(IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public const string SigningKey = "test-signing-key-of-at-least-thirty-two-characters";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in RealServersSetUp.Isolated.ServiceSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Jwt:SigningKey", SigningKey);
        // Every test signs up users from the same (test server) address; the sign-up limit has a test of its own.
        builder.UseSetting("RateLimiting:AuthPermitsPerMinute", "10000");
        // Schedules here fire every few seconds, below the default quota of a minute; the quota has a test of its own.
        builder.UseSetting("Quotas:ScheduleMinimumInterval", "00:00:01");

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client signed in as a new user of its own, so that tests never share data.</summary>
    public async Task<HttpClient> NewUserAsync()
    {
        var client = CreateClient();
        await ApiUsers.SignUpAsync(client);
        return client;
    }

    /// <summary>A token that was valid once: right key, issuer and audience, but expired beyond the clock skew.</summary>
    public static string ExpiredToken(Guid userId)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "graphexec",
            Audience = "graphexec",
            IssuedAt = now.AddHours(-2),
            NotBefore = now.AddHours(-2),
            Expires = now.AddMinutes(-2),
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, userId.ToString())]),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }
}
