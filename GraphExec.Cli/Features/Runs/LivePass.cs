using System.Buffers.Text;
using System.Text.Json;
using GraphExec.Cli.Infrastructure;

namespace GraphExec.Cli.Features.Runs;

/// <summary>
/// What the command line shows the Live hub: a session's JWT as it is, or for a personal access token (which Live does not
/// take) a Live ticket from the Api, with when to get the next one so that a long watch never holds an expired ticket.
/// </summary>
/// <param name="AccessToken">The token for the hub's <c>access_token</c>.</param>
/// <param name="RenewAfter">How long from now to get a new ticket and reconnect; null for a session's JWT, which is not renewed here.</param>
public sealed record LivePass(string AccessToken, TimeSpan? RenewAfter)
{
    public const string TicketsPath = "api/live/tickets";

    private const string PersonalAccessTokenPrefix = "gxp_";

    /// <summary>The most a ticket is renewed before its end: time enough for a new one and a reconnection.</summary>
    private static readonly TimeSpan RenewalMargin = TimeSpan.FromMinutes(1);

    /// <summary>The pass for <paramref name="token"/>: a new ticket from <paramref name="api"/> for a personal access token.</summary>
    /// <exception cref="CliFailure">The Api refused a ticket; a 404 means it gives none.</exception>
    public static async Task<LivePass> GetAsync(GraphExecApi api, string token, CancellationToken cancellationToken)
    {
        if (!token.StartsWith(PersonalAccessTokenPrefix, StringComparison.Ordinal))
        {
            return new LivePass(token, null);
        }

        var ticket = await api.PostAsync(TicketsPath, body: null, cancellationToken);
        var accessToken = ticket.Text("accessToken") ?? throw new CliFailure(ExitCodes.Unavailable, "The Api's Live ticket has no access token.");
        return new LivePass(accessToken, RenewAfterOf(LifetimeOf(accessToken)));
    }

    /// <summary>
    /// When to renew a ticket that lives <paramref name="lifetime"/>: a minute before its end, or at three quarters of a
    /// shorter life.
    /// </summary>
    public static TimeSpan RenewAfterOf(TimeSpan lifetime)
    {
        var margin = lifetime / 4 < RenewalMargin ? lifetime / 4 : RenewalMargin;
        return lifetime - margin;
    }

    /// <summary>
    /// The ticket's life from its <c>iat</c> to its <c>exp</c>: both are the Api's clock, so a clock here that is off does
    /// not matter.
    /// </summary>
    private static TimeSpan LifetimeOf(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length == 3)
        {
            try
            {
                var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
                if (payload.TryGetProperty("iat", out var issued) && issued.TryGetInt64(out var iat)
                    && payload.TryGetProperty("exp", out var expires) && expires.TryGetInt64(out var exp) && exp > iat)
                {
                    return TimeSpan.FromSeconds(exp - iat);
                }
            }
            catch (Exception ex) when (ex is FormatException or JsonException)
            {
                // Not a JWT this reads: renewed as the shortest ticket would be.
            }
        }

        return RenewalMargin;
    }
}
