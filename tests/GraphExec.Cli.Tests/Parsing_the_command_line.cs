using GraphExec.Cli.Infrastructure;

namespace GraphExec.Cli.Tests;

/// <summary>Command lines that do not parse, or that cannot run without a sign-in, and their exit codes.</summary>
public sealed class Parsing_the_command_line
{
    private TemporaryFolder _config = null!;

    private Dictionary<string, string?> Environment => new() { ["XDG_CONFIG_HOME"] = _config.Path };

    [SetUp]
    public void CreateConfigHome() => _config = new TemporaryFolder();

    [TearDown]
    public void RemoveConfigHome() => _config.Dispose();

    [Test]
    public async Task Should_answer_usage_for_an_unknown_command()
    {
        var result = await Cli.RunAsync(Environment, "deploy");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Usage), result.ToString());
        Assert.That(result.Error, Does.Contain("deploy"));
    }

    [TestCase("run")]
    [TestCase("executions", "show")]
    [TestCase("executions", "show", "not-a-uuid")]
    [TestCase("executions", "list", "--status", "Sleeping")]
    [TestCase("schedules", "create", "Greeting")]
    [TestCase("webhooks", "create", "Greeting", "--scheme", "gitlab")]
    [TestCase("executions")]
    public async Task Should_answer_usage_for_a_missing_or_malformed_argument(params string[] args)
    {
        var result = await Cli.RunAsync(Environment, args);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Usage), result.ToString());
        Assert.That(result.Error, Does.StartWith("error: "));
    }

    [Test]
    public async Task Should_print_help_and_succeed()
    {
        var result = await Cli.RunAsync(Environment, "--help");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Ok), result.ToString());
        Assert.That(result.Out, Does.Contain("push").And.Contain("pull").And.Contain("validate").And.Contain("executions"));
    }

    [TestCase("executions", "list")]
    [TestCase("push", ".")]
    [TestCase("run", "Greeting")]
    public async Task Should_answer_not_signed_in_without_a_config_or_environment(params string[] args)
    {
        var result = await Cli.RunAsync(Environment, args);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Unauthorized), result.ToString());
        Assert.That(result.Error, Does.Contain("graphexec login"));
    }

    [Test]
    public async Task Should_answer_not_signed_in_as_json_with_the_json_option()
    {
        var result = await Cli.RunAsync(Environment, "executions", "list", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Unauthorized), result.ToString());
        using var error = System.Text.Json.JsonDocument.Parse(result.Error);
        Assert.That(error.RootElement.GetProperty("error").GetProperty("exitCode").GetInt32(), Is.EqualTo(ExitCodes.Unauthorized));
    }

    [Test]
    public async Task Should_answer_unavailable_when_the_api_cannot_be_reached()
    {
        var environment = Environment;
        environment[CliEnvironment.UrlVariable] = "http://127.0.0.1:9";
        environment[CliEnvironment.TokenVariable] = "gxp_not-a-real-token";

        var result = await Cli.RunAsync(environment, "executions", "list");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Unavailable), result.ToString());
        Assert.That(result.Error, Does.Contain("cannot be reached").And.Not.Contain("gxp_not-a-real-token"));
    }

    [Test]
    public async Task Should_answer_usage_for_an_input_that_is_not_a_pair()
    {
        var result = await Cli.RunAsync(Environment, "run", "Greeting", "--input", "who");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Usage), result.ToString());
        Assert.That(result.Error, Does.Contain("name=value"));
    }

    [Test]
    public async Task Should_answer_usage_for_a_folder_that_cannot_be_made()
    {
        var environment = Environment;
        environment[CliEnvironment.UrlVariable] = "http://127.0.0.1:9";
        environment[CliEnvironment.TokenVariable] = "gxp_not-a-real-token";
        var file = _config.Write("taken", "a file where the folder would go");

        var result = await Cli.RunAsync(environment, "pull", file);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Usage), result.ToString());
        Assert.That(result.Error, Does.StartWith("error: "));
    }
}
