using System.CommandLine;
using System.Text.Json;
using GraphExec.Cli.Infrastructure;

namespace GraphExec.Cli.Features.Auth;

/// <summary>
/// <c>graphexec login</c> and <c>graphexec logout</c>: the Api's address and a personal access token, kept in the user's
/// config; <c>graphexec whoami</c>: whose the token is and what it may do.
/// </summary>
public static class AuthCommands
{
    public static Command Login(CliCommands commands)
    {
        var url = new Option<string>("--url") { Description = $"The Api's address, e.g. https://api.example.com (else {CliEnvironment.UrlVariable})." };
        var token = new Option<string>("--token") { Description = $"A personal access token, gxp_... (else {CliEnvironment.TokenVariable})." };
        var liveUrl = new Option<string>("--live-url") { Description = "The Live service's address, for 'run --watch'." };
        var command = new Command("login", "Checks a personal access token against the Api and stores it in your config.") { url, token, liveUrl };
        return commands.Action(command, async context =>
        {
            var environment = context.Environment;
            var apiUrl = context.Value(url) ?? environment.Variable(CliEnvironment.UrlVariable)
                ?? throw CliFailure.Usage($"Name the Api with --url or {CliEnvironment.UrlVariable}.");
            var secret = context.Value(token) ?? environment.Variable(CliEnvironment.TokenVariable)
                ?? throw CliFailure.Usage($"Give a personal access token with --token or {CliEnvironment.TokenVariable}.");
            var live = context.Value(liveUrl);
            var apiUri = Connection.ParseUrl(apiUrl, "--url");
            var liveUri = live is null ? null : Connection.ParseUrl(live, "--live-url");

            // The block catalogue needs a valid token and no scope: it checks the token whatever the token may do.
            using (var api = new GraphExecApi(apiUri, secret))
            {
                await api.GetAsync("api/blocks", context.Cancellation);
            }

            var file = environment.ConfigFile;
            new CliConfig(apiUri.AbsoluteUri, secret, liveUri?.AbsoluteUri).Write(file);
            if (context.Json)
            {
                context.WriteJson(new { url = apiUri, liveUrl = liveUri, config = file });
            }
            else
            {
                context.Out.WriteLine($"Signed in to {apiUri}; the token is stored in {file}.");
            }

            return ExitCodes.Ok;
        });
    }

    public static Command Logout(CliCommands commands)
    {
        var command = new Command("logout", "Removes the stored token (the token itself stays valid until you revoke it).");
        return commands.Action(command, context =>
        {
            var file = context.Environment.ConfigFile;
            var removed = File.Exists(file);
            File.Delete(file);
            if (context.Json)
            {
                context.WriteJson(new { removed, config = file });
            }
            else
            {
                context.Out.WriteLine(removed ? $"Signed out: {file} is removed." : "Not signed in: nothing to remove.");
            }

            return Task.FromResult(ExitCodes.Ok);
        });
    }

    public static Command Whoami(CliCommands commands)
    {
        var command = new Command("whoami", "Shows whose the token is, what it may do and when it expires.");
        return commands.Action(command, async context =>
        {
            using var api = context.Api();
            var me = await api.GetAsync("api/me", context.Cancellation);
            if (context.Json)
            {
                context.WriteJson(me);
                return ExitCodes.Ok;
            }

            var kind = me.Text("kind") == "token" ? $"personal access token '{me.Text("tokenName")}'" : "signed-in session";
            context.Out.WriteLine($"{me.Text("username")} ({kind}) at {api.BaseAddress}");
            var scopes = me.TryGetProperty("scopes", out var list) && list.ValueKind == JsonValueKind.Array
                ? string.Join(", ", list.EnumerateArray().Select(scope => scope.GetString()))
                : "";
            context.Out.WriteLine($"scopes:  {scopes}");
            if (me.Text("expiresAt") is { } expiresAt)
            {
                context.Out.WriteLine($"expires: {expiresAt}");
            }

            return ExitCodes.Ok;
        });
    }
}
