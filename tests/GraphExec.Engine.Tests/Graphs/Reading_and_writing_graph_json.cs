using System.Text.Json.Nodes;
using GraphExec.Engine.Graphs;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Graphs;

public class Reading_and_writing_graph_json
{
    private const string Full = """
        {
          "name": "Everything",
          "description": "Every property a graph can have.",
          "nodes": [
            { "id": "who", "block": "input", "config": { "name": "who", "default": { "first": "Ada", "tags": [1, 2.5, true, null] } } },
            { "id": "call", "block": "http", "config": { "url": "https://example.com/{{who}}" },
              "retry": { "maxAttempts": 4, "delayMs": 250, "backoffMultiplier": 1.5, "maxDelayMs": 5000, "jitter": false },
              "timeoutMs": 10000, "onError": "continue" },
            { "id": "out", "block": "output", "config": { "name": "body" } }
          ],
          "edges": [
            { "from": "who.value", "to": "call.who" },
            { "from": "call.body", "to": "out.value" }
          ],
          "settings": { "errorGraphId": "0193a2b4-0000-7000-8000-000000000001" }
        }
        """;

    [Test]
    public void Should_round_trip_without_losing_anything()
    {
        var graph = GraphJson.Deserialize(Full);

        var written = GraphJson.Serialize(graph);

        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(written), JsonNode.Parse(Full)), Is.True, written);
    }

    [Test]
    public void Should_read_the_engine_settings()
    {
        var node = GraphJson.Deserialize(Full).Nodes[1];

        Assert.Multiple(() =>
        {
            Assert.That(node.Retry, Is.EqualTo(new RetryPolicy { MaxAttempts = 4, DelayMs = 250, BackoffMultiplier = 1.5, MaxDelayMs = 5000, Jitter = false }));
            Assert.That(node.TimeoutMs, Is.EqualTo(10_000));
            Assert.That(node.OnError, Is.EqualTo(OnError.Continue));
        });
    }

    [Test]
    public void Should_read_the_graph_settings()
    {
        var settings = GraphJson.Deserialize(Full).Settings;

        Assert.That(settings?.ErrorGraphId, Is.EqualTo(Guid.Parse("0193a2b4-0000-7000-8000-000000000001")));
    }

    [TestCase("""{ "errorGraphId": "not-an-id" }""", "/settings/errorGraphId")]
    [TestCase("""{ "errorGraphId": 7 }""", "/settings/errorGraphId")]
    [TestCase("""{ "onFailure": "x" }""", "/settings/onFailure")]
    [TestCase("[]", "/settings")]
    public void Should_point_at_settings_of_the_wrong_shape(string settings, string pointer)
    {
        var result = TestGraphs.Validator.Validate($$"""
            { "name": "g", "nodes": [{ "id": "a", "block": "constant", "config": { "value": 1 } }], "edges": [], "settings": {{settings}} }
            """);

        Assert.That(result.Errors.Select(e => e.Pointer), Is.EqualTo(new[] { pointer }));
    }

    [Test]
    public void Should_leave_out_settings_that_were_not_given()
    {
        var written = GraphJson.Serialize(GraphJson.Deserialize("""
            { "name": "g", "nodes": [{ "id": "a", "block": "constant", "config": { "value": 1 } }], "edges": [] }
            """));

        Assert.That(written, Is.EqualTo("""{"name":"g","nodes":[{"id":"a","block":"constant","config":{"value":1}}],"edges":[]}"""));
    }

    [Test]
    public void Should_validate_what_it_writes()
    {
        var graph = GraphJson.Deserialize(Full);

        var result = TestGraphs.Validator.Validate(GraphJson.SerializeToUtf8Bytes(graph));

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Graph, Is.Not.Null);
    }
}
