using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Cli.Infrastructure;
using GraphExec.Testing;

namespace GraphExec.Cli.Tests.Integration;

/// <summary>
/// A new user of the Api with a personal access token of every scope, who runs the command line as a CI job does:
/// <c>GRAPHEXEC_URL</c>, <c>GRAPHEXEC_TOKEN</c> and <c>GRAPHEXEC_LIVE_URL</c> set, a config folder of their own.
/// <see cref="Session"/> is the same user through the Api directly, to check what the command line did.
/// </summary>
public sealed class CliUser : IDisposable
{
    public static readonly string[] EveryScope =
    [
        "graphs:read", "graphs:write", "executions:read", "executions:write", "webhooks:read", "webhooks:write",
        "schedules:read", "schedules:write", "credentials:read", "credentials:write",
    ];

    private readonly TemporaryFolder _config = new();

    private CliUser(HttpClient session, string sessionToken, string accessToken) =>
        (Session, SessionToken, AccessToken) = (session, sessionToken, accessToken);

    /// <summary>The user's own client of the Api, signed in with a session.</summary>
    public HttpClient Session { get; }

    /// <summary>The session's access token (a JWT), which the Live hub takes.</summary>
    public string SessionToken { get; }

    /// <summary>The personal access token (<c>gxp_</c>) the command line sends.</summary>
    public string AccessToken { get; }

    public string ConfigHome => _config.Path;

    public static async Task<CliUser> SignUpAsync()
    {
        var session = new HttpClient { BaseAddress = TestRun.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var sessionToken = await ApiUsers.SignUpAsync(session);
        using var created = await session.PostAsJsonAsync("/api/tokens", new { name = "cli tests", scopes = EveryScope, expiresInDays = 1 });
        created.EnsureSuccessStatusCode();
        var accessToken = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        return new CliUser(session, sessionToken, accessToken);
    }

    /// <summary>The environment of a CI job with this user's personal access token.</summary>
    public Dictionary<string, string?> Environment => new()
    {
        ["XDG_CONFIG_HOME"] = ConfigHome,
        [CliEnvironment.UrlVariable] = TestRun.Api.BaseAddress.ToString(),
        [CliEnvironment.TokenVariable] = AccessToken,
        [CliEnvironment.LiveUrlVariable] = TestRun.Live.BaseAddress.ToString(),
    };

    public Task<CliResult> RunAsync(params string[] args) => Cli.RunAsync(Environment, args);

    /// <summary>Runs the command line with <paramref name="environment"/> instead of the CI job's.</summary>
    public static Task<CliResult> RunAsync(Dictionary<string, string?> environment, params string[] args) => Cli.RunAsync(environment, args);

    public void Dispose()
    {
        Session.Dispose();
        _config.Dispose();
    }
}
