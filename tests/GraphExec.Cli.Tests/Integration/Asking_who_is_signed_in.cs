using System.Text.Json;
using GraphExec.Cli.Infrastructure;
using GraphExec.Testing;

namespace GraphExec.Cli.Tests.Integration;

/// <summary><c>graphexec whoami</c>: whose the token is, what it may do and when it expires.</summary>
public sealed class Asking_who_is_signed_in
{
    [Test]
    public async Task Should_name_the_token_and_its_scopes()
    {
        using var user = await CliUser.SignUpAsync();

        var whoami = await user.RunAsync("whoami");

        Assert.That(whoami.ExitCode, Is.EqualTo(ExitCodes.Ok), whoami.ToString());
        Assert.That(whoami.Out, Does.Contain("personal access token 'cli tests'"));
        Assert.That(whoami.Out, Does.Contain("executions:read").And.Contain("graphs:write"));
        Assert.That(whoami.Out, Does.Contain("expires: "));
        Assert.That(whoami.Out + whoami.Error, Does.Not.Contain(user.AccessToken));
    }

    [Test]
    public async Task Should_answer_the_apis_document_with_json()
    {
        using var user = await CliUser.SignUpAsync();

        var whoami = await user.RunAsync("whoami", "--json");
        var me = JsonDocument.Parse(whoami.Out).RootElement;

        Assert.That(whoami.ExitCode, Is.EqualTo(ExitCodes.Ok), whoami.ToString());
        Assert.That(me.GetProperty("id").GetGuid(), Is.EqualTo(ApiUsers.OwnerId(user.SessionToken)));
        Assert.That(me.GetProperty("kind").GetString(), Is.EqualTo("token"));
        Assert.That(me.GetProperty("scopes").GetArrayLength(), Is.EqualTo(CliUser.EveryScope.Length));
    }

    [Test]
    public async Task Should_say_so_when_not_signed_in()
    {
        using var user = await CliUser.SignUpAsync();
        var environment = new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = user.ConfigHome };

        var whoami = await CliUser.RunAsync(environment, "whoami");

        Assert.That(whoami.ExitCode, Is.EqualTo(ExitCodes.Unauthorized), whoami.ToString());
        Assert.That(whoami.Error, Does.Contain("Not signed in"));
    }
}
