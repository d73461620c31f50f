using System.Text.Json.Nodes;
using GraphExec.Web.Graphs.Editing;
using GraphExec.Web.Unit.Tests.Support;

namespace GraphExec.Web.Unit.Tests.Graphs;

public sealed class Editing_a_graph_draft
{
    [Test]
    public void Should_add_a_node_with_a_new_id_and_a_starting_config()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);

        var input = draft.AddNode("input", new CanvasPoint(10, 20));
        var delay = draft.AddNode("delay", new CanvasPoint(30, 40));

        Assert.Multiple(() =>
        {
            Assert.That(input, Is.EqualTo("input1"));
            Assert.That(draft.Node(input)!.Config!.Value.GetProperty("name").GetString(), Is.EqualTo("input1"));
            Assert.That(draft.Node(delay)!.Config!.Value.GetProperty("milliseconds").GetInt32(), Is.EqualTo(1000));
            Assert.That(draft.PositionOf(delay), Is.EqualTo(new CanvasPoint(30, 40)));
            Assert.That(draft.Selection, Is.EquivalentTo(new[] { delay }));
        });
    }

    [Test]
    public void Should_delete_the_selected_nodes_with_their_edges_and_undo_and_redo_it()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);
        var before = draft.Json;
        draft.Select("greet");

        draft.DeleteSelection();
        var deleted = draft.Json;

        Assert.Multiple(() =>
        {
            Assert.That(draft.Sketch.Nodes.Select(n => n.Id), Is.EqualTo(new[] { "who", "out" }));
            Assert.That(draft.Sketch.Edges, Is.Empty);
        });

        draft.Undo();
        Assert.Multiple(() =>
        {
            Assert.That(draft.Json, Is.EqualTo(before));
            Assert.That(draft.Positions.Keys, Does.Contain("greet"));
            Assert.That(draft.CanRedo, Is.True);
        });

        draft.Redo();
        Assert.That(draft.Json, Is.EqualTo(deleted));
    }

    [Test]
    public void Should_forget_what_could_be_redone_after_a_new_edit()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);
        draft.AddNode("delay", new CanvasPoint(0, 0));
        draft.Undo();

        draft.MoveNodes(["who"], 5, 5);

        Assert.That(draft.CanRedo, Is.False);
    }

    [Test]
    public void Should_move_every_selected_node_in_one_step()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);
        var (who, greet) = (draft.PositionOf("who"), draft.PositionOf("greet"));

        draft.MoveNodes(["who", "greet"], 15, -5);

        Assert.Multiple(() =>
        {
            Assert.That(draft.PositionOf("who"), Is.EqualTo(who.Offset(15, -5)));
            Assert.That(draft.PositionOf("greet"), Is.EqualTo(greet.Offset(15, -5)));
        });
        draft.Undo();
        Assert.That(draft.PositionOf("who"), Is.EqualTo(who));
    }

    [Test]
    public void Should_select_the_nodes_a_rubber_band_touches_and_toggle_one_with_shift()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);
        var who = draft.PositionOf("who");
        var greet = draft.PositionOf("greet");

        draft.SelectArea(new CanvasArea(who.X - 5, Math.Min(who.Y, greet.Y) - 5, greet.X - who.X + 10, 300));
        Assert.That(draft.Selection, Is.EquivalentTo(new[] { "who", "greet" }));

        draft.Select("who", add: true);
        draft.Select("out", add: true);
        Assert.That(draft.Selection, Is.EquivalentTo(new[] { "greet", "out" }));
    }

    [Test]
    public void Should_rename_a_node_and_its_edges_and_refuse_a_taken_or_bad_id()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);

        Assert.Multiple(() =>
        {
            Assert.That(draft.Rename("greet", "out"), Does.Contain("already used"));
            Assert.That(draft.Rename("greet", "a b"), Does.Contain("letters, digits"));
            Assert.That(draft.Rename("greet", "hello"), Is.Null);
            Assert.That(draft.Sketch.Edges.Select(e => $"{e.FromNode}->{e.ToNode}"), Is.EqualTo(new[] { "who->hello", "hello->out" }));
            Assert.That(draft.Positions.Keys, Does.Contain("hello").And.No.Contain("greet"));
        });
    }

    [Test]
    public void Should_undo_typing_into_one_field_in_one_step()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);

        foreach (var text in new[] { "H", "Hi", "Hi {{who}}" })
        {
            draft.SetConfig("greet", "template", JsonValue.Create(text));
        }

        Assert.That(draft.Node("greet")!.Config!.Value.GetProperty("template").GetString(), Is.EqualTo("Hi {{who}}"));
        draft.Undo();
        Assert.Multiple(() =>
        {
            Assert.That(draft.Node("greet")!.Config!.Value.GetProperty("template").GetString(), Is.EqualTo("Hello, {{who}}!"));
            Assert.That(draft.CanUndo, Is.False);
        });
    }

    [Test]
    public void Should_paste_copied_nodes_with_new_ids_and_the_edges_between_them()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);
        draft.Select("who");
        draft.Select("greet", add: true);
        var copied = draft.Copy();

        draft.Paste(copied);

        Assert.Multiple(() =>
        {
            Assert.That(draft.Selection, Is.EquivalentTo(new[] { "who1", "greet1" }));
            Assert.That(draft.Sketch.Nodes.Select(n => n.Id), Is.EqualTo(new[] { "who", "greet", "out", "who1", "greet1" }));
            Assert.That(draft.Sketch.Edges.Count(e => e is { FromNode: "who1", ToNode: "greet1", ToPort: "who" }), Is.EqualTo(1));
            Assert.That(draft.PositionOf("who1"), Is.EqualTo(draft.PositionOf("who").Offset(40, 40)));
        });
    }

    [Test]
    public void Should_arrange_the_nodes_in_columns_that_follow_the_edges()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);
        draft.MoveNodes(["out"], -1000, 0);

        draft.ArrangeAutomatically();

        Assert.That(draft.PositionOf("who").X, Is.LessThan(draft.PositionOf("greet").X).And.LessThan(draft.PositionOf("out").X));
    }
}
