using GraphExec.Web.Graphs;
using GraphExec.Web.Graphs.Editing;
using GraphExec.Web.Unit.Tests.Support;

namespace GraphExec.Web.Unit.Tests.Graphs;

public sealed class Viewing_the_canvas
{
    [Test]
    public void Should_fit_every_node_into_the_canvas_no_larger_than_life()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);
        var nodes = CanvasGeometry.Nodes(draft);

        var small = CanvasView.Fit(nodes, 400, 300);
        var large = CanvasView.Fit(nodes, 4000, 3000);

        Assert.Multiple(() =>
        {
            Assert.That(small.Zoom, Is.LessThan(1).And.GreaterThanOrEqualTo(CanvasView.MinimumZoom));
            Assert.That(nodes.Min(n => small.X + n.At.X * small.Zoom), Is.GreaterThanOrEqualTo(0));
            Assert.That(nodes.Max(n => small.X + (n.At.X + n.Width) * small.Zoom), Is.LessThanOrEqualTo(400));
            Assert.That(large.Zoom, Is.EqualTo(1));
        });
    }

    [Test]
    public void Should_zoom_about_the_middle_within_the_limits()
    {
        var view = CanvasView.Initial;

        var closer = view.ZoomBy(2, 800, 600);
        var farthest = view.ZoomBy(0.001, 800, 600);

        Assert.Multiple(() =>
        {
            Assert.That(closer, Is.EqualTo(new CanvasView(-400, -300, 2)));
            Assert.That(farthest.Zoom, Is.EqualTo(CanvasView.MinimumZoom));
        });
    }

    [Test]
    public void Should_draw_an_edge_from_its_output_port_to_its_input_port()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);
        var nodes = CanvasGeometry.Nodes(draft);

        var edge = CanvasGeometry.Edges(nodes, draft.Sketch).Single(e => e.Edge.FromNode == "who");
        var (who, greet) = (nodes.Single(n => n.Node.Id == "who"), nodes.Single(n => n.Node.Id == "greet"));

        Assert.Multiple(() =>
        {
            Assert.That(edge.From, Is.EqualTo(new CanvasPoint(who.At.X + who.Width, who.At.Y + who.OutputY("value"))));
            Assert.That(edge.To, Is.EqualTo(new CanvasPoint(greet.At.X, greet.At.Y + greet.InputY("who"))));
            Assert.That(edge.D, Is.EqualTo(GraphLayout.Curve(edge.From.X, edge.From.Y, edge.To.X, edge.To.Y)));
            Assert.That(greet.Inputs, Is.EqualTo(new[] { "who", PortRef.NewInput }));
        });
    }

    [Test]
    public void Should_place_a_node_added_without_a_place_beside_the_others()
    {
        var draft = new GraphDraft(Catalogue.Greeting, Catalogue.Blocks);
        var rightmost = draft.Positions.Values.Max(p => p.X);

        var id = draft.AddNode("delay", draft.NextFreeSpot());

        Assert.That(draft.PositionOf(id).X, Is.GreaterThan(rightmost + GraphLayout.NodeWidth));
    }
}
