using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Web.Graphs;
using GraphExec.Web.Graphs.Editing;
using GraphExec.Web.Unit.Tests.Support;

namespace GraphExec.Web.Unit.Tests.Graphs;

public sealed class Keeping_the_canvas_and_the_JSON_in_step
{
    [Test]
    public void Should_keep_properties_the_editor_does_not_know_through_every_edit()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);

        draft.AddNode("delay", new CanvasPoint(0, 0));
        draft.Connect(new PortRef("greet", "text"), new PortRef("delay1", "value"));
        draft.Rename("who", "person");

        using var json = JsonDocument.Parse(draft.Json);
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("settings").GetProperty("timeoutMs").GetInt32(), Is.EqualTo(5000));
            Assert.That(json.RootElement.GetProperty("name").GetString(), Is.EqualTo("Greeting"));
            Assert.That(json.RootElement.GetProperty("nodes")[1].GetProperty("config").GetProperty("template").GetString(), Is.EqualTo("Hello, {{who}}!"));
        });
    }

    [Test]
    public void Should_draw_what_is_typed_as_JSON_and_keep_the_places_of_nodes_it_already_had()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);
        draft.MoveNodes(["who"], 0, 500);
        var who = draft.PositionOf("who");
        var typed = JsonNode.Parse(draft.Json)!;
        typed["nodes"]!.AsArray().Add(new JsonObject { ["id"] = "later", ["block"] = "delay", ["config"] = new JsonObject { ["milliseconds"] = 5 } });

        var error = draft.ReplaceJson(typed.ToJsonString());

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Null);
            Assert.That(draft.Node("later"), Is.Not.Null);
            Assert.That(draft.PositionOf("who"), Is.EqualTo(who));
            Assert.That(draft.Positions.Keys, Does.Contain("later"));
        });
        draft.Undo();
        Assert.That(draft.Node("later"), Is.Null);
    }

    [TestCase("{ \"nodes\": [", "Not valid JSON at line 1")]
    [TestCase("[1, 2]", "A graph is a JSON object")]
    public void Should_refuse_text_that_is_not_a_graph_and_keep_the_draft(string text, string error)
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);
        var before = draft.Json;

        Assert.Multiple(() =>
        {
            Assert.That(draft.ReplaceJson(text), Does.StartWith(error));
            Assert.That(draft.Json, Is.EqualTo(before));
            Assert.That(draft.CanUndo, Is.False);
        });
    }

    [Test]
    public void Should_place_problems_found_while_editing_on_the_node_and_field()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);
        draft.SetConfig("greet", "template", null);

        var placed = GraphIssues.Place(DraftProblems.Find(draft.Sketch, draft.Blocks), draft.Sketch);

        Assert.Multiple(() =>
        {
            Assert.That(placed.Select(p => p.Issue.Pointer), Is.EqualTo(new[] { "/nodes/1/config/template" }));
            Assert.That(placed[0].NodeId, Is.EqualTo("greet"));
            Assert.That(placed[0].Field, Is.EqualTo("config.template"));
        });
    }

    [Test]
    public void Should_read_a_form_from_the_config_schema()
    {
        var input = ConfigFields.Of(Catalogue.Blocks.Single(b => b.Name == "input"));
        var delay = ConfigFields.Of(Catalogue.Blocks.Single(b => b.Name == "delay")).Single();

        Assert.Multiple(() =>
        {
            Assert.That(input.Select(f => (f.Name, f.Kind, f.Required)), Is.EqualTo(new[]
            {
                ("name", ConfigFieldKind.Text, true), ("default", ConfigFieldKind.Json, false), ("type", ConfigFieldKind.Choice, false),
            }));
            Assert.That(input[2].Options, Is.EqualTo(new[] { "any", "string", "number" }));
            Assert.That(input[0].Help, Is.EqualTo("The input's name."));
            Assert.That(delay.Read("250").Value!.GetValue<long>(), Is.EqualTo(250));
            Assert.That(delay.Read("soon").Error, Is.EqualTo("Enter a whole number."));
            Assert.That(input[1].Read("{\"a\": 1}").Value!.ToJsonString(), Is.EqualTo("{\"a\":1}"));
            Assert.That(ConfigFields.Of(Catalogue.Blocks.Single(b => b.Name == "template")).Single().Suggests, Is.True);
        });
    }
}
