using GraphExec.Engine;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Blocks;

public class The_value_blocks
{
    private const string Typed = """
        {
          "name": "Typed",
          "nodes": [
            { "id": "age", "block": "input",  "config": { "name": "age", "type": "number" } },
            { "id": "tag", "block": "input",  "config": { "name": "tag", "required": false } },
            { "id": "out", "block": "output", "config": { "name": "age" } },
            { "id": "tagOut", "block": "output", "config": { "name": "tag" } }
          ],
          "edges": [{ "from": "age.value", "to": "out.value" }, { "from": "tag.value", "to": "tagOut.value" }]
        }
        """;

    [Test]
    public async Task Should_fire_a_constant_value()
    {
        var node = await OneNode.RunAsync("constant", """{ "value": { "rate": 1.08, "tags": ["a"] } }""");

        Assert.That(node.Outputs["value"]!.ToJsonString(), Is.EqualTo("""{"rate":1.08,"tags":["a"]}"""));
    }

    [Test]
    public async Task Should_pass_a_typed_input_and_give_null_for_an_optional_one()
    {
        var result = await TestGraphs.RunAsync(Typed, """{ "age": 36 }""");

        Assert.That(result.Outputs["age"]!.GetValue<int>(), Is.EqualTo(36));
        Assert.That(result.Outputs["tag"], Is.Null);
    }

    [Test]
    public async Task Should_fail_an_input_of_the_wrong_type()
    {
        var result = await TestGraphs.RunAsync(Typed, """{ "age": "old" }""");

        Assert.That(result.Error, Is.EqualTo(new ExecutionError("block_failed", "The graph input 'age' must be a number, not a string.", "age")));
    }

    [Test]
    public void Should_describe_the_graphs_inputs_and_outputs()
    {
        var plan = TestGraphs.Compile(Typed);

        Assert.That(plan.Inputs, Is.EqualTo(new[]
        {
            new GraphInput("age", GraphExec.Engine.Blocks.PortType.Number, true, null),
            new GraphInput("tag", GraphExec.Engine.Blocks.PortType.Any, false, null),
        }));
        Assert.That(plan.Outputs, Is.EqualTo(new[] { "age", "tag" }));
    }

    [Test]
    public async Task Should_refuse_a_value_over_the_size_limit()
    {
        var engine = new GraphEngine(new ExecutionOptions { MaxValueBytes = 100 });

        var result = await TestGraphs.RunAsync(Typed.Replace("\"number\"", "\"string\"", StringComparison.Ordinal),
            $$"""{ "age": "{{new string('x', 200)}}" }""", engine);

        Assert.That(result.Error, Is.EqualTo(new ExecutionError("value_too_large", "Output 'value' is larger than the limit of 100 bytes for a value.", "age")));
    }

    [Test]
    public async Task Should_stop_a_template_that_repeats_an_input_past_the_value_limit_while_it_builds()
    {
        var repeated = string.Concat(Enumerable.Repeat("{{v}}", 50));

        var node = await OneNode.RunAsync("template", $$"""{ "template": "{{repeated}}" }""", $$"""{ "v": "{{new string('x', 100)}}" }""",
            engine: new GraphEngine(new ExecutionOptions { MaxValueBytes = 1000 }));

        Assert.That(node.Error, Is.EqualTo(new ExecutionError("value_too_large", "The value being built is larger than the limit of 1000 bytes for a value.", "node")));
    }

    [Test]
    public async Task Should_fail_with_the_rendered_message()
    {
        var node = await OneNode.RunAsync("fail", """{ "message": "Order {{order.id}} has no items." }""", """{ "order": { "id": 7 } }""");

        Assert.That(node.Status, Is.EqualTo(NodeStatus.Failed));
        Assert.That(node.Error!.Message, Is.EqualTo("Order 7 has no items."));
    }

    [Test]
    public async Task Should_wait_on_the_clock_and_pass_the_value_on()
    {
        var clock = new ManualClock();
        var run = OneNode.RunAsync("delay", """{ "milliseconds": 1500 }""", """{ "value": "later" }""", new GraphEngine(timeProvider: clock));

        var due = await clock.FireTimersAsync(1);
        var node = await run;

        Assert.That(due, Is.EqualTo(new[] { TimeSpan.FromMilliseconds(1500) }));
        Assert.That(node.Outputs["value"]!.GetValue<string>(), Is.EqualTo("later"));
        Assert.That(node.FinishedAt - node.StartedAt, Is.EqualTo(TimeSpan.FromMilliseconds(1500)));
    }
}
