using System.Text.Json;
using GraphExec.Cli.Infrastructure;
using GraphExec.Testing;

namespace GraphExec.Cli.Tests.Integration;

/// <summary><c>graphexec run --watch</c>: each node's progress as it happens, the outputs, and an exit code CI can use.</summary>
public sealed class Running_a_graph
{
    private const string Failing = """
        {
          "name": "Failing",
          "nodes": [
            { "id": "who",  "block": "input", "config": { "name": "who" } },
            { "id": "stop", "block": "fail",  "config": { "message": "No entry for {{who}}." } }
          ],
          "edges": [ { "from": "who.value", "to": "stop.who" } ]
        }
        """;

    private CliUser _user = null!;

    [SetUp]
    public async Task SignUpAsync()
    {
        _user = await CliUser.SignUpAsync();
        await _user.Session.SaveGraphAsync(SampleGraphs.Welcome);
    }

    [TearDown]
    public void Clean() => _user.Dispose();

    [Test]
    public async Task Should_stream_each_node_from_the_live_hub_then_print_the_outputs()
    {
        // The Live hub takes the JWT of a signed-in session.
        var environment = _user.Environment;
        environment[CliEnvironment.TokenVariable] = _user.SessionToken;

        var run = await CliUser.RunAsync(environment, "run", "Welcome", "--input", "who=Ada", "--watch");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run + TestRun.Output);
        Assert.That(run.Error, Does.Not.Contain("note:"), "the events came from Live");
        Assert.That(run.Out, Does.Contain("ExecutionStarted"));
        foreach (var node in (string[])["who", "greet", "wrap", "pause", "out"])
        {
            Assert.That(run.Out, Does.Match($@"NodeStarted\s+{node}\b"));
            Assert.That(run.Out, Does.Match($@"NodeCompleted\s+{node}\b"));
        }

        Assert.That(run.Out, Does.Contain("welcome = \"[Hello, Ada!]\""));
    }

    [Test]
    public async Task Should_stream_from_the_live_hub_with_a_ticket_for_a_personal_access_token()
    {
        var run = await _user.RunAsync("run", "Welcome", "--input", "who=Ada", "--watch");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run + TestRun.Output);
        Assert.That(run.Error, Does.Not.Contain("note:"), "the events came from Live");
        Assert.That(run.Out, Does.Contain("ExecutionStarted"), "only Live sends the execution's own events");
        Assert.That(run.Out, Does.Match(@"NodeCompleted\s+greet\s+\{""text"":""Hello, Ada!""\}"));
        Assert.That(run.Out, Does.Contain("welcome = \"[Hello, Ada!]\""));
    }

    [Test]
    public async Task Should_exit_with_1_when_the_run_fails()
    {
        await _user.Session.SaveGraphAsync(Failing);

        var run = await _user.RunAsync("run", "Failing", "-i", "who=Ada", "--watch");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failed), run + TestRun.Output);
        Assert.That(run.Out, Does.Match(@"NodeFailed\s+stop\s+No entry for Ada\."));
        Assert.That(run.Out, Does.Contain("Failed"));
    }

    [Test]
    public async Task Should_start_a_run_and_show_it_in_the_executions()
    {
        var run = await _user.RunAsync("run", "Welcome", "--json");
        var executionId = JsonDocument.Parse(run.Out).RootElement.GetProperty("executionId").GetGuid();
        await _user.Session.WaitForExecutionEndAsync(executionId);

        var list = await _user.RunAsync("executions", "list", "--graph", "Welcome", "--status", "Succeeded");
        var show = await _user.RunAsync("executions", "show", executionId.ToString());

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
        Assert.That(list.Out, Does.StartWith("ID ").And.Contain(executionId.ToString()), list.ToString());
        Assert.That(show.Out, Does.Match(@"status\s+Succeeded"), show.ToString());
        Assert.That(show.Out, Does.Match(@"greet\s+Succeeded\s+1\s+\{""text"":""Hello, world!""\}"));
        Assert.That(show.Out, Does.Contain("welcome = \"[Hello, world!]\""));
    }

    [Test]
    public async Task Should_run_an_execution_again_with_its_inputs()
    {
        var run = await _user.RunAsync("run", "Welcome", "-i", "who=Grace", "--json");
        var executionId = JsonDocument.Parse(run.Out).RootElement.GetProperty("executionId").GetGuid();
        await _user.Session.WaitForExecutionEndAsync(executionId);

        var rerun = await _user.RunAsync("executions", "rerun", executionId.ToString(), "--watch");

        Assert.That(rerun.ExitCode, Is.EqualTo(ExitCodes.Ok), rerun + TestRun.Output);
        Assert.That(rerun.Out, Does.Contain("welcome = \"[Hello, Grace!]\""));
    }

    [Test]
    public async Task Should_answer_not_found_for_a_graph_nobody_has()
    {
        var run = await _user.RunAsync("run", "Nobody's graph");
        var show = await _user.RunAsync("executions", "show", Guid.NewGuid().ToString());

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.NotFound), run.ToString());
        Assert.That(show.ExitCode, Is.EqualTo(ExitCodes.NotFound), show.ToString());
    }
}
