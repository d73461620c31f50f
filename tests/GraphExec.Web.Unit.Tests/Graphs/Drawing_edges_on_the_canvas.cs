using GraphExec.Web.Graphs.Editing;
using GraphExec.Web.Unit.Tests.Support;

namespace GraphExec.Web.Unit.Tests.Graphs;

public sealed class Drawing_edges_on_the_canvas
{
    [Test]
    public void Should_connect_an_output_to_a_free_input_of_another_node()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);
        var wait = draft.AddNode("delay", new CanvasPoint(0, 0));

        var refusal = draft.Connect(new PortRef("who", "value"), new PortRef(wait, "value"));

        Assert.Multiple(() =>
        {
            Assert.That(refusal, Is.Null);
            Assert.That(draft.Sketch.Edges.Any(e => e is { FromNode: "who", FromPort: "value", ToNode: "delay1", ToPort: "value" }), Is.True);
        });
    }

    [TestCase("greet.text", "who.value", "has no input 'value'")]
    [TestCase("out.value", "greet.who", "has no output 'value'")]
    [TestCase("greet.text", "greet.who", "feed itself")]
    [TestCase("who.value", "greet.who", "already connected")]
    [TestCase("who.value", "out.value", "already has an edge")]
    [TestCase("who.value", "nobody.value", "no node 'nobody'")]
    public void Should_refuse_an_edge_that_the_graph_cannot_have(string from, string to, string reason)
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);

        var refusal = draft.Connect(PortRef.Parse(from)!.Value, PortRef.Parse(to)!.Value);

        Assert.Multiple(() =>
        {
            Assert.That(refusal, Does.Contain(reason));
            Assert.That(draft.Sketch.Edges, Has.Count.EqualTo(2));
            Assert.That(draft.CanUndo, Is.False);
        });
    }

    [Test]
    public void Should_refuse_an_edge_that_closes_a_cycle_or_feeds_its_own_node()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);
        var first = draft.AddNode("delay", new CanvasPoint(0, 0));
        var second = draft.AddNode("delay", new CanvasPoint(0, 0));
        Assert.That(draft.Connect(new PortRef(first, "value"), new PortRef(second, "value")), Is.Null);

        Assert.Multiple(() =>
        {
            Assert.That(draft.Connect(new PortRef(second, "value"), new PortRef(first, "value")), Does.Contain("cycle"));
            Assert.That(draft.Connect(new PortRef(first, "value"), new PortRef(first, "value")), Is.Not.Null);
        });
    }

    [Test]
    public void Should_name_a_new_template_input_after_the_node_that_feeds_it()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);
        var template = draft.AddNode("template", new CanvasPoint(0, 0));

        var first = draft.Connect(new PortRef("who", "value"), new PortRef(template, PortRef.NewInput));
        var second = draft.Connect(new PortRef("greet", "text"), new PortRef(template, PortRef.NewInput));

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Null);
            Assert.That(second, Is.Null);
            Assert.That(draft.ConnectedInputs(template), Is.EqualTo(new[] { "who", "greet" }));
            Assert.That(draft.Json, Does.Contain("\"to\": \"template1.who\""));
        });
    }

    [Test]
    public void Should_offer_the_variables_a_template_names_as_inputs()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);
        var template = draft.AddNode("template", new CanvasPoint(0, 0));
        draft.SetConfig(template, "template", System.Text.Json.Nodes.JsonValue.Create("{{first}} and {{ second.name }}, {{secrets.KEY}}"));

        var targets = ConnectionRules.Targets(draft.Sketch, draft.Blocks, new PortRef("who", "value"))
            .Where(t => t.Node == template).Select(t => t.Port);

        Assert.That(targets, Is.EquivalentTo(new[] { "first", "second", PortRef.NewInput }));
    }
}
