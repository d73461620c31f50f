using System.Runtime.Versioning;
using GraphExec.Cli.Infrastructure;

namespace GraphExec.Cli.Tests;

/// <summary>Where the config is, who may read it, and how the environment overrides it.</summary>
public sealed class Keeping_the_sign_in
{
    private TemporaryFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TemporaryFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public void Should_keep_the_config_under_xdg_config_home_when_set()
    {
        var environment = new CliEnvironment(name => name switch { "XDG_CONFIG_HOME" => "/x", "HOME" => "/home/ada", _ => null });

        Assert.That(environment.ConfigFile, Is.EqualTo(Path.Combine("/x", "graphexec", "config.json")));
    }

    [Test]
    public void Should_keep_the_config_under_the_home_folder_otherwise()
    {
        var environment = new CliEnvironment(name => name == "HOME" ? "/home/ada" : null);

        Assert.That(environment.ConfigFile, Is.EqualTo(Path.Combine("/home/ada", ".config", "graphexec", "config.json")));
    }

    [Test]
    [UnsupportedOSPlatform("windows")]
    public void Should_write_the_config_readable_by_its_owner_alone()
    {
        var file = _folder.File("graphexec/config.json");

        new CliConfig("http://api/", "gxp_first", null).Write(file);
        new CliConfig("http://api/", "gxp_second", null).Write(file);

        Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(CliConfig.Read(file).Token, Is.EqualTo("gxp_second"));
    }

    [Test]
    public void Should_let_the_environment_override_the_stored_config()
    {
        var config = _folder.Path;
        new CliConfig("http://stored/", "gxp_stored", "http://stored-live/").Write(Path.Combine(config, "graphexec", "config.json"));
        var environment = new CliEnvironment(name => name switch
        {
            "XDG_CONFIG_HOME" => config,
            CliEnvironment.TokenVariable => "gxp_from_ci",
            _ => null,
        });

        var connection = Connection.Resolve(environment);

        Assert.That(connection.ApiUrl, Is.EqualTo(new Uri("http://stored/")));
        Assert.That(connection.Token, Is.EqualTo("gxp_from_ci"));
        Assert.That(connection.LiveUrl, Is.EqualTo(new Uri("http://stored-live/")));
    }

    [Test]
    public async Task Should_sign_out_by_removing_the_config()
    {
        var file = _folder.File("graphexec/config.json");
        new CliConfig("http://api/", "gxp_stored", null).Write(file);

        var result = await Cli.RunAsync(new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = _folder.Path }, "logout");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Ok), result.ToString());
        Assert.That(File.Exists(file), Is.False);
    }

    [Test]
    public async Task Should_store_nothing_when_the_api_cannot_be_reached()
    {
        var result = await Cli.RunAsync(
            new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = _folder.Path },
            "login", "--url", "http://127.0.0.1:9", "--token", "gxp_secret_value");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Unavailable), result.ToString());
        Assert.That(result.Out + result.Error, Does.Not.Contain("gxp_secret_value"));
        Assert.That(File.Exists(_folder.File("graphexec/config.json")), Is.False);
    }
}
