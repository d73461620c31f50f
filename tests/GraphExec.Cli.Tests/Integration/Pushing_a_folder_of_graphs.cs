using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Cli.Infrastructure;
using GraphExec.Testing;

namespace GraphExec.Cli.Tests.Integration;

/// <summary>
/// <c>graphexec push</c> and <c>graphexec pull</c> on a folder kept in git: graphs matched by name, unchanged ones not
/// saved again, and a pulled folder that pushes back unchanged and pulls again byte for byte.
/// </summary>
public sealed class Pushing_a_folder_of_graphs : CliScenario
{
    [Test]
    public async Task Should_create_the_graphs_then_leave_them_unchanged_when_pushed_again()
    {
        var greeting = Folder.Write("graphs/greeting.json", SampleGraphs.Greeting);
        var welcome = Folder.Write("graphs/welcome.json", SampleGraphs.Welcome);

        var first = await User.RunAsync("push", Folder.File("graphs"));
        var second = await User.RunAsync("push", Folder.File("graphs"), "--json");

        Assert.That(first.ExitCode, Is.EqualTo(ExitCodes.Ok), first.ToString());
        Assert.That(first.Out, Does.Contain($"{greeting}: created (Greeting, version 1)"));
        Assert.That(first.Out, Does.Contain($"{welcome}: created (Welcome, version 1)"));
        Assert.That(second.ExitCode, Is.EqualTo(ExitCodes.Ok), second.ToString());
        var files = JsonDocument.Parse(second.Out).RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.That(files.Select(f => f.GetProperty("result").GetString()), Is.EqualTo(new[] { "unchanged", "unchanged" }));
        Assert.That(files.Select(f => f.GetProperty("version").GetInt32()), Is.EqualTo(new[] { 1, 1 }), "no new version");
    }

    [Test]
    public async Task Should_update_a_graph_whose_file_changed()
    {
        var greeting = Folder.Write("greeting.json", SampleGraphs.Greeting);
        await User.RunAsync("push", greeting);
        Folder.Write("greeting.json", SampleGraphs.Greeting.Replace("Hello", "Hi", StringComparison.Ordinal));

        var dryRun = await User.RunAsync("push", greeting, "--dry-run");
        var push = await User.RunAsync("push", greeting);

        Assert.That(dryRun.Out, Does.Contain($"{greeting}: would be updated (Greeting)"), dryRun.ToString());
        Assert.That(push.ExitCode, Is.EqualTo(ExitCodes.Ok), push.ToString());
        Assert.That(push.Out, Does.Contain($"{greeting}: updated (Greeting, version 2)"));
    }

    [Test]
    public async Task Should_pull_files_that_push_back_unchanged_and_pull_again_identical()
    {
        Folder.Write("source/greeting.json", SampleGraphs.Greeting);
        Folder.Write("source/welcome.json", SampleGraphs.Welcome);
        await User.RunAsync("push", Folder.File("source"));

        var pull = await User.RunAsync("pull", Folder.File("pulled"));
        var pulled = Directory.GetFiles(Folder.File("pulled")).Order(StringComparer.Ordinal).ToList();
        var bytes = pulled.Select(File.ReadAllBytes).ToList();
        var pushBack = await User.RunAsync("push", Folder.File("pulled"));
        var pullAgain = await User.RunAsync("pull", Folder.File("pulled"));

        Assert.That(pull.ExitCode, Is.EqualTo(ExitCodes.Ok), pull.ToString());
        Assert.That(pulled.Select(Path.GetFileName), Is.EqualTo(new[] { "greeting.json", "welcome.json" }));
        Assert.That(File.ReadAllText(pulled[0]), Does.StartWith("{\n  \"name\": \"Greeting\",\n").And.EndWith("}\n"));
        Assert.That(pushBack.Out, Does.Contain("2 unchanged"), pushBack.ToString());
        Assert.That(pullAgain.Out, Does.Contain("2 graphs, 0 written"), pullAgain.ToString());
        Assert.That(pulled.Select(File.ReadAllBytes), Is.EqualTo(bytes), "pulling again changes no byte");
    }

    [Test]
    public async Task Should_report_what_the_api_refuses_at_its_file_and_pointer_and_push_the_rest()
    {
        var greeting = Folder.Write("greeting.json", SampleGraphs.Greeting);
        var secretive = Folder.Write("secretive.json", """
            {
              "name": "Secretive",
              "nodes": [ { "id": "greet", "block": "template", "config": { "template": "{{secrets.missing}}" } } ],
              "edges": []
            }
            """);

        var push = await User.RunAsync("push", greeting, secretive);

        Assert.That(push.ExitCode, Is.EqualTo(ExitCodes.Failed), push.ToString());
        Assert.That(push.Out, Does.Contain($"{greeting}: created"));
        Assert.That(push.Out, Does.Contain($"{secretive}: invalid"));
        Assert.That(push.Out, Does.Contain($"{secretive}#/nodes/0/config").And.Contain("unknown_secret"));
    }

    [Test]
    public async Task Should_change_nothing_on_a_dry_run()
    {
        var greeting = Folder.Write("greeting.json", SampleGraphs.Greeting);

        var push = await User.RunAsync("push", greeting, "--dry-run");
        var graphs = await User.Session.GetFromJsonAsync<JsonElement>("/api/graphs");

        Assert.That(push.ExitCode, Is.EqualTo(ExitCodes.Ok), push.ToString());
        Assert.That(push.Out, Does.Contain($"{greeting}: would be created (Greeting)"));
        Assert.That(graphs.GetProperty("items").GetArrayLength(), Is.Zero);
    }
}
