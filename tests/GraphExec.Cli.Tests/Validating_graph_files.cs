using System.Text.Json;
using GraphExec.Cli.Infrastructure;
using GraphExec.Testing;

namespace GraphExec.Cli.Tests;

/// <summary><c>graphexec validate</c>: the engine's validator, locally, with each problem at its file and JSON pointer.</summary>
public sealed class Validating_graph_files
{
    private const string UnknownBlock = """
        { "name": "Typo", "nodes": [ { "id": "a", "block": "templat", "config": {} } ], "edges": [] }
        """;

    private TemporaryFolder _folder = null!;

    private Dictionary<string, string?> Environment => new() { ["XDG_CONFIG_HOME"] = _folder.File("config") };

    [SetUp]
    public void CreateFolder() => _folder = new TemporaryFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public async Task Should_succeed_for_valid_graphs_without_a_server()
    {
        var file = _folder.Write("greeting.json", SampleGraphs.Greeting);

        var result = await Cli.RunAsync(Environment, "validate", file);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Ok), result.ToString());
        Assert.That(result.Out, Is.EqualTo($"{file}: ok{System.Environment.NewLine}"));
    }

    [Test]
    public async Task Should_name_the_file_and_json_pointer_of_each_problem_and_exit_with_1()
    {
        _folder.Write("graphs/greeting.json", SampleGraphs.Greeting);
        var typo = _folder.Write("graphs/typo.json", UnknownBlock);

        var result = await Cli.RunAsync(Environment, "validate", _folder.File("graphs"));

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Failed), result.ToString());
        Assert.That(result.Out, Does.Contain($"{typo}: invalid"));
        Assert.That(result.Out, Does.Contain($"{typo}#/nodes/0/block: There is no block 'templat'. Did you mean 'template'? (unknown_block)"));
    }

    [Test]
    public async Task Should_report_json_that_does_not_parse_at_the_root()
    {
        var broken = _folder.Write("broken.json", "{ \"name\": ");

        var result = await Cli.RunAsync(Environment, "validate", broken, "--json");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Failed), result.ToString());
        var file = JsonDocument.Parse(result.Out).RootElement.GetProperty("files")[0];
        Assert.That(file.GetProperty("valid").GetBoolean(), Is.False);
        Assert.That(file.GetProperty("problems")[0].GetProperty("pointer").GetString(), Is.EqualTo(""));
        Assert.That(file.GetProperty("problems")[0].GetProperty("code").GetString(), Is.EqualTo("invalid_json"));
    }

    [Test]
    public async Task Should_read_a_folder_in_order_and_skip_hidden_folders()
    {
        _folder.Write("b.json", SampleGraphs.Greeting);
        _folder.Write("a/c.json", SampleGraphs.Welcome);
        _folder.Write(".git/d.json", "not a graph");

        var result = await Cli.RunAsync(Environment, "validate", _folder.Path, "--json");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Ok), result.ToString());
        var files = JsonDocument.Parse(result.Out).RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("file").GetString());
        Assert.That(files, Is.EqualTo(new[] { _folder.File("a/c.json"), _folder.File("b.json") }));
    }

    [Test]
    public async Task Should_answer_usage_for_a_path_that_does_not_exist()
    {
        var result = await Cli.RunAsync(Environment, "validate", _folder.File("missing.json"));

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Usage), result.ToString());
        Assert.That(result.Error, Does.Contain("missing.json: no such file or folder"));
    }
}
