using GraphExec.Contracts;
using GraphExec.Web.Api;
using GraphExec.Web.Graphs;

namespace GraphExec.Web.Unit.Tests.Graphs;

public sealed class Naming_a_node_of_the_picture
{
    private static readonly IReadOnlyList<PlacedIssue> NoIssues = [];

    [Test]
    public void Should_start_the_name_with_the_words_the_picture_shows()
    {
        var node = Node("greet", "template");

        Assert.Multiple(() =>
        {
            Assert.That(NodeLabel.Title(node), Is.EqualTo("greet"));
            Assert.That(NodeLabel.Block(node).Trim(), Is.EqualTo("template"));
            Assert.That(NodeLabel.AccessibleName(node, null, NoIssues), Is.EqualTo("greet template block"));
            Assert.That(NodeLabel.AccessibleName(node, NodeStatus.Succeeded, NoIssues), Is.EqualTo("greet template block, Succeeded"));
        });
    }

    [Test]
    public void Should_keep_the_drawn_words_apart_when_read_as_one_text()
    {
        var node = Node("greet", "template");

        Assert.That(NodeLabel.Title(node) + NodeLabel.Block(node), Is.EqualTo("greet template"));
    }

    [Test]
    public void Should_name_a_clipped_id_as_drawn_and_then_in_full()
    {
        var node = Node("a_node_with_a_very_long_name", "http");

        Assert.Multiple(() =>
        {
            Assert.That(NodeLabel.Title(node), Is.EqualTo("a_node_with_a_very_…"));
            Assert.That(NodeLabel.AccessibleName(node, null, NoIssues), Is.EqualTo("a_node_with_a_very_… http block, id a_node_with_a_very_long_name"));
        });
    }

    [Test]
    public void Should_name_the_problems_after_the_drawn_words()
    {
        var node = Node("greet", "tempalte");
        IReadOnlyList<PlacedIssue> issues =
        [
            new(new ValidationIssue("/nodes/1/block", "unknown-block", "Unknown block 'tempalte'."), "greet", "block", null),
            new(new ValidationIssue("/nodes/1/config", "config", "The config is not valid."), "greet", "config", null),
        ];

        Assert.That(
            NodeLabel.AccessibleName(node, null, issues),
            Is.EqualTo("greet tempalte block, 2 problems: Unknown block 'tempalte'.; The config is not valid."));
    }

    private static SketchNode Node(string id, string block) => new(0, id, block, null, [], []);
}
