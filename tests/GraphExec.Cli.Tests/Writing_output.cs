using System.Text.Json;
using GraphExec.Cli.Features.Graphs;
using GraphExec.Cli.Features.Runs;
using GraphExec.Cli.Infrastructure;
using GraphExec.Contracts;

namespace GraphExec.Cli.Tests;

/// <summary>Tables, graph files, run inputs and exit codes: the formats people and scripts read.</summary>
public sealed class Writing_output
{
    [Test]
    public void Should_align_a_table_in_columns()
    {
        using var writer = new StringWriter { NewLine = "\n" };

        new Table("ID", "STATUS", "NODE").Add("1", "Succeeded", "greet").Add("22", null, "out").Write(writer);

        Assert.That(writer.ToString(), Is.EqualTo("ID  STATUS     NODE\n1   Succeeded  greet\n22  -          out\n"));
    }

    [TestCase("Greeting", "greeting")]
    [TestCase("Nightly report (EU)", "nightly-report-eu")]
    [TestCase("Café über alles", "cafe-uber-alles")]
    [TestCase("!!!", "graph")]
    public void Should_name_a_graph_file_by_a_slug_of_its_name(string name, string slug) =>
        Assert.That(GraphFiles.Slug(name), Is.EqualTo(slug));

    [Test]
    public void Should_write_a_graph_file_indented_in_the_apis_order_with_a_final_line_break()
    {
        var definition = JsonElement.Parse("""{"name":"Crème","nodes":[{"id":"a","block":"constant","config":{"value":1}}],"edges":[]}""");

        var text = PullCommand.Format(definition);

        Assert.That(text, Is.EqualTo(
            "{\n  \"name\": \"Crème\",\n  \"nodes\": [\n    {\n      \"id\": \"a\",\n      \"block\": \"constant\",\n"
            + "      \"config\": {\n        \"value\": 1\n      }\n    }\n  ],\n  \"edges\": []\n}\n"));
    }

    [Test]
    public void Should_read_input_values_as_json_or_else_as_text()
    {
        var inputs = RunInputs.Parse(null, ["who=Ada", "count=3", "on=true", "list=[1,2]", "quoted=\"3\"", "equation=a=b"]);

        Assert.That(inputs.ToJsonString(), Is.EqualTo("""{"who":"Ada","count":3,"on":true,"list":[1,2],"quoted":"3","equation":"a=b"}"""));
    }

    [Test]
    public void Should_put_input_pairs_on_top_of_an_inputs_file()
    {
        using var folder = new TemporaryFolder();
        var file = folder.Write("inputs.json", """{ "who": "Grace", "count": 1 }""");

        var inputs = RunInputs.Parse(file, ["who=Ada"]);

        Assert.That(inputs.ToJsonString(), Is.EqualTo("""{"who":"Ada","count":1}"""));
    }

    [TestCase(null, ExitCodes.Unavailable)]
    [TestCase(400, ExitCodes.Failed)]
    [TestCase(401, ExitCodes.Unauthorized)]
    [TestCase(403, ExitCodes.Unauthorized)]
    [TestCase(404, ExitCodes.NotFound)]
    [TestCase(409, ExitCodes.Failed)]
    [TestCase(429, ExitCodes.Unavailable)]
    [TestCase(503, ExitCodes.Unavailable)]
    public void Should_map_each_api_answer_to_its_exit_code(int? status, int exitCode) =>
        Assert.That(CliFailure.From(new ApiProblem(status, "refused", [])).ExitCode, Is.EqualTo(exitCode));

    [Test]
    public void Should_see_a_definition_with_properties_moved_as_unchanged()
    {
        using var folder = new TemporaryFolder();
        var graph = LocalGraph.Read(folder.Write("greeting.json", GraphExec.Testing.SampleGraphs.Greeting));
        var reordered = JsonElement.Parse("""
            { "edges": [ { "to": "greet.who", "from": "who.value" }, { "from": "greet.text", "to": "out.value" } ],
              "nodes": [ { "block": "input", "id": "who", "config": { "default": "world", "name": "who" } },
                         { "id": "greet", "block": "template", "config": { "template": "Hello, {{who}}!" } },
                         { "id": "out", "block": "output", "config": { "name": "greeting" } } ],
              "name": "Greeting" }
            """);
        var changed = JsonElement.Parse(GraphExec.Testing.SampleGraphs.Greeting.Replace("Hello", "Hi", StringComparison.Ordinal));

        Assert.That(graph.Matches(reordered), Is.True);
        Assert.That(graph.Matches(changed), Is.False);
    }

    [Test]
    public void Should_write_a_live_event_as_one_line()
    {
        var completed = new ExecutionEvent(Guid.NewGuid(), 3, ExecutionEventType.NodeCompleted, "greet", "Succeeded",
            JsonElement.Parse("""{"text":"Hello, Ada!"}"""), null, new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));

        Assert.That(ExecutionText.Line(completed), Is.EqualTo("""03:04:05.678  NodeCompleted       greet                 {"text":"Hello, Ada!"}"""));
    }
}
