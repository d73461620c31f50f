using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace GraphExec.Web.Account;

/// <summary>
/// An access token on its way from a request of the browser to the page's circuit, through the browser: sealed with Data
/// Protection for one person and one minute, so that the browser carries it without being able to read or reuse it (as it
/// carries the cookie).
/// </summary>
public sealed record AccessTicket(string AccessToken, DateTimeOffset ExpiresAt)
{
    private const string Purpose = "GraphExec.Web.Account.AccessTicket";

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Seal(IDataProtectionProvider protection, string username) =>
        Protector(protection, username).Protect(JsonSerializer.Serialize(this, Json), Lifetime);

    /// <summary>The ticket <paramref name="sealedTicket"/> if it was sealed for <paramref name="username"/> within the last minute; null otherwise.</summary>
    public static AccessTicket? Open(IDataProtectionProvider protection, string username, string? sealedTicket)
    {
        if (string.IsNullOrEmpty(sealedTicket))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<AccessTicket>(Protector(protection, username).Unprotect(sealedTicket), Json);
        }
        catch (Exception exception) when (exception is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    private static ITimeLimitedDataProtector Protector(IDataProtectionProvider protection, string username) =>
        protection.CreateProtector(Purpose, username).ToTimeLimitedDataProtector();
}
