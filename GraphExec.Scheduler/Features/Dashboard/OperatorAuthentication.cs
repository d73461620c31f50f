using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace GraphExec.Scheduler.Features.Dashboard;

/// <summary>
/// HTTP Basic authentication of the one operator account of <see cref="OperatorOptions"/>. The dashboard shows every
/// user's jobs, so it takes no user's login; both parts of the credentials are compared in constant time. Browsers ask
/// for the credentials themselves on the 401 challenge.
/// </summary>
public sealed class OperatorAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggers, UrlEncoder encoder, IOptions<OperatorOptions> operatorOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    public const string SchemeName = "Operator";
    public const string Policy = "Operator";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !"Basic".Equals(header.Scheme, StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        string credentials;
        try
        {
            credentials = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return Task.FromResult(AuthenticateResult.Fail("The Basic credentials are not base64."));
        }

        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        var expected = operatorOptions.Value;
        if (colon < 0
            | !SameSecret(credentials[..Math.Max(colon, 0)], expected.Username)
            | !SameSecret(credentials[(colon + 1)..], expected.Password!))
        {
            return Task.FromResult(AuthenticateResult.Fail("The operator credentials are not valid."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, expected.Username), new Claim(ClaimTypes.Role, Policy)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"GraphExec Scheduler\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    }

    /// <summary>Hashes first, so that neither the content nor the length of the secret shows in the time taken.</summary>
    private static bool SameSecret(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
