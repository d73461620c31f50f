using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Blocks;

public class The_routing_blocks
{
    [TestCase("""{ "cases": ["new", "paid"], "path": "status" }""", """{ "value": { "status": "paid" } }""", "paid")]
    [TestCase("""{ "cases": ["new", "paid"], "path": "status" }""", """{ "value": { "status": "lost" } }""", "default")]
    [TestCase("""{ "cases": ["1", "2"] }""", """{ "value": 2 }""", "2")]
    [TestCase("""{ "cases": ["true"] }""", """{ "value": true }""", "true")]
    [TestCase("""{ "cases": ["a"], "path": "missing" }""", """{ "value": {} }""", "default")]
    public async Task Should_switch_to_the_port_of_the_matching_case(string config, string inputs, string port)
    {
        var node = await OneNode.RunAsync("switch", config, inputs);

        Assert.That(node.Outputs.Keys, Is.EqualTo(new[] { port }));
        Assert.That(node.Outputs[port]!.ToJsonString(), Is.EqualTo(System.Text.Json.Nodes.JsonNode.Parse(inputs)!["value"]!.ToJsonString()));
    }

    [TestCase("{}", """{ "value": "text" }""", "true")]
    [TestCase("{}", """{ "value": "" }""", "false")]
    [TestCase("{}", """{ "value": 0 }""", "false")]
    [TestCase("{}", """{ "value": [] }""", "false")]
    [TestCase("{}", """{ "value": null }""", "false")]
    [TestCase("""{ "condition": "[value.total] > limit" }""", """{ "value": { "total": 5 }, "limit": 3 }""", "true")]
    [TestCase("""{ "condition": "[value.total] > limit" }""", """{ "value": { "total": 1 }, "limit": 3 }""", "false")]
    public async Task Should_branch_on_the_condition_or_the_value(string config, string inputs, string port)
    {
        var node = await OneNode.RunAsync("branch", config, inputs);

        Assert.That(node.Outputs.Keys, Is.EqualTo(new[] { port }));
    }

    [Test]
    public async Task Should_fail_a_branch_whose_condition_is_not_true_or_false()
    {
        var node = await OneNode.RunAsync("branch", """{ "condition": "x + 1" }""", """{ "x": 1 }""");

        Assert.That(node.Error!.Message, Is.EqualTo("The condition must give true or false."));
    }
}
