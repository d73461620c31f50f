namespace GraphExec.Cli.Infrastructure;

/// <summary>
/// Where the Api and Live are and which token to send: <c>GRAPHEXEC_URL</c>, <c>GRAPHEXEC_TOKEN</c> and
/// <c>GRAPHEXEC_LIVE_URL</c> override what <c>graphexec login</c> stored, so that a CI job needs no config file.
/// </summary>
public sealed record Connection(Uri ApiUrl, string Token, Uri? LiveUrl)
{
    /// <exception cref="CliFailure">No address or no token: not signed in.</exception>
    public static Connection Resolve(CliEnvironment environment)
    {
        var config = CliConfig.Read(environment.ConfigFile);
        var url = Pick(environment.Variable(CliEnvironment.UrlVariable), config.Url);
        var token = Pick(environment.Variable(CliEnvironment.TokenVariable), config.Token);
        if (url is null || token is null)
        {
            throw CliFailure.NotSignedIn();
        }

        var live = Pick(environment.Variable(CliEnvironment.LiveUrlVariable), config.LiveUrl);
        return new Connection(
            ParseUrl(url, CliEnvironment.UrlVariable), token, live is null ? null : ParseUrl(live, CliEnvironment.LiveUrlVariable));
    }

    /// <summary>An absolute http(s) address, with a trailing slash so that relative paths append to it.</summary>
    /// <exception cref="CliFailure">Not such an address (exit code 2).</exception>
    public static Uri ParseUrl(string text, string what)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw CliFailure.Usage($"{what} '{text}' is not an http or https address.");
        }

        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    private static string? Pick(string? overriding, string? stored) =>
        !string.IsNullOrWhiteSpace(overriding) ? overriding.Trim() : string.IsNullOrWhiteSpace(stored) ? null : stored;
}
