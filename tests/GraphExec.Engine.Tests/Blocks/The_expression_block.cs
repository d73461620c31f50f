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

    [TestCase("!", TestName = "A chain of !")]
    [TestCase("not ", TestName = "A chain of not")]
    [TestCase("- ", TestName = "A chain of minus signs")]
    public void Should_refuse_a_long_chain_of_prefix_operators(string prefix)
    {
        var chain = string.Concat(Enumerable.Repeat(prefix, 1000)) + "1";

        var result = TestGraphs.Validator.Validate(OneExpression(chain));

        Assert.That(result.Errors.Single().Message, Is.EqualTo("The expression chains more than 64 prefix operators (!, not, -, +, ~)."));
    }

    [Test]
    public void Should_refuse_an_expression_more_than_128_operations_deep()
    {
        var sum = "1" + string.Concat(Enumerable.Repeat(" + 1", 1000));

        var result = TestGraphs.Validator.Validate(OneExpression(sum));

        Assert.That(result.Errors.Single().Message, Is.EqualTo("The expression is more than 128 operations deep; split it over several nodes."));
    }

    [Test]
    public async Task Should_still_evaluate_a_long_but_reasonable_expression()
    {
        var sum = "x" + string.Concat(Enumerable.Repeat(" + 1", 100)) + " - -1";

        var node = await OneNode.RunAsync("expression", $$"""{ "expression": "{{sum}}" }""", """{ "x": 1 }""");

        Assert.That(node.Outputs["result"]!.GetValue<long>(), Is.EqualTo(102));
    }

    [TestCase(3, TestName = "Three copies of a 400 KB text")]
    [TestCase(100, TestName = "A hundred copies of a 400 KB text")]
    public async Task Should_stop_building_text_at_the_first_operation_over_the_value_limit(int copies)
    {
        var repeat = string.Join(" + ", Enumerable.Repeat("s", copies));

        var node = await OneNode.RunAsync("expression", $$"""{ "expression": "{{repeat}}" }""", $$"""{ "s": "{{new string('x', 400_000)}}" }""");

        Assert.That(node.Status, Is.EqualTo(NodeStatus.Failed));
        Assert.That(node.Error!.Code, Is.EqualTo(ExecutionError.ValueTooLarge));
        Assert.That(node.Error.Message, Is.EqualTo("The value being built is larger than the limit of 1048576 bytes for a value."));
    }

    [Test]
    public async Task Should_build_text_up_to_the_value_limit()
    {
        var node = await OneNode.RunAsync("expression", """{ "expression": "s + s" }""", $$"""{ "s": "{{new string('x', 400_000)}}" }""");

        Assert.That(node.Error, Is.Null);
        Assert.That(node.Outputs["result"]!.GetValue<string>(), Has.Length.EqualTo(800_000));
    }

    [Test]
    public void Should_name_a_huge_unknown_block_briefly()
    {
        var name = new string('x', 500_000);

        var result = TestGraphs.Validator.Validate($$"""{ "name": "g", "nodes": [{ "id": "e", "block": "{{name}}", "config": {} }], "edges": [] }""");

        Assert.That(result.Errors.Single().Message, Does.StartWith($"There is no block '{new string('x', 64)}…'. Blocks: "));
    }

    private static string OneExpression(string expression) =>
        $$"""{ "name": "g", "nodes": [{ "id": "e", "block": "expression", "config": { "expression": "{{expression}}" } }], "edges": [] }""";
}
