using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Web.Graphs;

namespace GraphExec.Web.Unit.Tests.Graphs;

public sealed class Changing_a_graphs_settings
{
    private const string Graph = """
        { "name": "g", "nodes": [{ "id": "a", "block": "constant", "config": { "value": 1 } }], "edges": [] }
        """;

    private static readonly Guid Handler = Guid.Parse("0193a2b4-0000-7000-8000-000000000001");

    [Test]
    public void Should_set_the_error_handler_and_keep_the_rest_as_written()
    {
        var written = GraphSettingsJson.WithErrorGraphId(JsonElement.Parse(Graph), Handler);

        var expected = JsonNode.Parse(Graph)!.AsObject();
        expected["settings"] = new JsonObject { ["errorGraphId"] = Handler.ToString() };
        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(written), expected), Is.True, written);
            Assert.That(GraphSettingsJson.ErrorGraphId(JsonElement.Parse(written)), Is.EqualTo(Handler));
        });
    }

    [Test]
    public void Should_leave_settings_out_once_the_handler_is_removed()
    {
        var withHandler = GraphSettingsJson.WithErrorGraphId(JsonElement.Parse(Graph), Handler);

        var written = GraphSettingsJson.WithErrorGraphId(JsonElement.Parse(withHandler), null);

        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(written), JsonNode.Parse(Graph)), Is.True, written);
            Assert.That(GraphSettingsJson.ErrorGraphId(JsonElement.Parse(written)), Is.Null);
        });
    }
}
