using System.Net;
using GraphExec.Engine.Blocks.Http;

namespace GraphExec.Core.Notifications;

/// <summary>
/// What a notification URL may be: absolute http or https, without credentials, at most <see cref="MaxLength"/>
/// characters, and not a private, loopback or metadata address unless the host allow-lists it (the http block's
/// <see cref="SsrfGuard"/>, configured by <c>Blocks:Http:AllowList</c>). A host name is checked when a delivery connects,
/// on the addresses DNS gives then.
/// </summary>
public static class NotificationUrls
{
    public const int MaxLength = 2000;

    /// <summary>Why the URL is refused, or null when it may be used.</summary>
    public static string? Problem(string? url, SsrfGuard guard)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "A URL is required.";
        }

        if (url.Length > MaxLength)
        {
            return $"The URL is {url.Length} characters long; the limit is {MaxLength}.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return "The URL must be an absolute http or https URL.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "The URL may not hold a user name or password.";
        }

        var host = uri.IdnHost.Trim('[', ']');
        var literal = IPAddress.TryParse(host, out var address) ? address
            : string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : null;
        return literal is not null && !guard.IsAllowed(uri.Host, literal)
            ? "The URL points to a private, loopback, link-local or metadata address, which notifications may not reach."
            : null;
    }
}
