using System.Runtime.Versioning;
using GraphExec.Cli.Infrastructure;

namespace GraphExec.Cli.Tests.Integration;

/// <summary><c>graphexec login</c> against the Api: a token that works is stored, one that does not is refused.</summary>
public sealed class Signing_in
{
    [Test]
    [UnsupportedOSPlatform("windows")]
    public async Task Should_store_a_token_that_the_api_accepts_and_use_it_afterwards()
    {
        using var user = await CliUser.SignUpAsync();
        var environment = new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = user.ConfigHome };

        var login = await CliUser.RunAsync(environment, "login", "--url", TestRun.Api.BaseAddress.ToString(), "--token", user.AccessToken);
        var list = await CliUser.RunAsync(environment, "executions", "list");

        Assert.That(login.ExitCode, Is.EqualTo(ExitCodes.Ok), login.ToString());
        Assert.That(login.Out + login.Error, Does.Not.Contain(user.AccessToken));
        var file = Path.Combine(user.ConfigHome, "graphexec", "config.json");
        Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(list.ExitCode, Is.EqualTo(ExitCodes.Ok), list.ToString());
        Assert.That(list.Out, Does.StartWith("ID  "));
    }

    [Test]
    public async Task Should_refuse_a_token_the_api_does_not_know_and_store_nothing()
    {
        using var user = await CliUser.SignUpAsync();
        var environment = new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = user.ConfigHome };
        var unknown = "gxp_" + new string('A', 43);

        var login = await CliUser.RunAsync(environment, "login", "--url", TestRun.Api.BaseAddress.ToString(), "--token", unknown);

        Assert.That(login.ExitCode, Is.EqualTo(ExitCodes.Unauthorized), login.ToString());
        Assert.That(login.Error, Does.Contain("did not accept the token").And.Not.Contain(unknown));
        Assert.That(File.Exists(Path.Combine(user.ConfigHome, "graphexec", "config.json")), Is.False);
    }
}
