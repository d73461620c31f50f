using GraphExec.Engine;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Blocks;

public class The_expression_block
{
    [TestCase("a + b * 2", """{ "a": 1, "b": 2.5 }""", "6")]
    [TestCase("Round([order.total] * (1 + rate), 2)", """{ "order": { "total": 10 }, "rate": 0.19 }""", "11.9")]
    [TestCase("if(score >= 50, 'pass', 'fail')", """{ "score": 72 }""", "\"pass\"")]
    [TestCase("name + '!'", """{ "name": "Ada" }""", "\"Ada!\"")]
    [TestCase("x in (1, 2, 3)", """{ "x": 2 }""", "true")]
    [TestCase("a and not b", """{ "a": true, "b": false }""", "true")]
    [TestCase("x == null", """{ "x": null }""", "true")]
    [TestCase("[items.1] * 10", """{ "items": [1, 2] }""", "20")]
    public async Task Should_compute_a_value_from_its_inputs(string expression, string inputs, string expected)
    {
        var node = await OneNode.RunAsync("expression", $$"""{ "expression": {{System.Text.Json.JsonSerializer.Serialize(expression)}} }""", inputs);

        Assert.That(node.Error, Is.Null);
        Assert.That(node.Outputs["result"]!.ToJsonString(), Is.EqualTo(expected));
    }

    [Test]
    public async Task Should_fail_with_a_readable_message_when_evaluation_fails()
    {
        var node = await OneNode.RunAsync("expression", """{ "expression": "9223372036854775807 + x" }""", """{ "x": 1 }""");

        Assert.That(node.Status, Is.EqualTo(NodeStatus.Failed));
        Assert.That(node.Error!.Message, Does.StartWith("Evaluating '9223372036854775807 + x' failed: Arithmetic operation resulted in an overflow."));
    }

    [Test]
    public async Task Should_refuse_a_result_that_json_cannot_hold()
    {
        var node = await OneNode.RunAsync("expression", """{ "expression": "Pow(x, 400)" }""", """{ "x": 10 }""");

        Assert.That(node.Error!.Message, Is.EqualTo("Evaluating 'Pow(x, 400)' failed: The result Infinity has no JSON form."));
    }

    [Test]
    public void Should_refuse_deeply_nested_expressions()
    {
        var deep = new string('(', 100) + "1" + new string(')', 100);

        var result = TestGraphs.Validator.Validate($$"""{ "name": "g", "nodes": [{ "id": "e", "block": "expression", "config": { "expression": "{{deep}}" } }], "edges": [] }""");

        Assert.That(result.Errors.Single().Message, Is.EqualTo("The expression nests parentheses more than 64 levels deep."));
    }
}
