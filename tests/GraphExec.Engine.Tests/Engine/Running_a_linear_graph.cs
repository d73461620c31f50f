using GraphExec.Engine;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Engine;

public class Running_a_linear_graph
{
    [Test]
    public async Task Should_produce_the_output_from_the_inputs()
    {
        var result = await TestGraphs.RunAsync(SampleGraphs.GreetingWithDefault, """{ "who": "Ada" }""");

        Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Succeeded));
        Assert.That(result.Outputs["greeting"]!.GetValue<string>(), Is.EqualTo("Hello, Ada!"));
    }

    [Test]
    public async Task Should_use_an_inputs_default_when_none_is_given()
    {
        var result = await TestGraphs.RunAsync(SampleGraphs.GreetingWithDefault);

        Assert.That(result.Outputs["greeting"]!.GetValue<string>(), Is.EqualTo("Hello, world!"));
    }

    [Test]
    public async Task Should_report_each_nodes_inputs_outputs_and_attempts()
    {
        var result = await TestGraphs.RunAsync(SampleGraphs.GreetingWithDefault, """{ "who": "Ada" }""");

        var greet = result.Node("greet");
        Assert.Multiple(() =>
        {
            Assert.That(greet.Status, Is.EqualTo(NodeStatus.Succeeded));
            Assert.That(greet.Inputs["who"].Text(), Is.EqualTo("\"Ada\""));
            Assert.That(greet.Outputs["text"].Text(), Is.EqualTo("\"Hello, Ada!\""));
            Assert.That(greet.Attempts, Is.EqualTo(1));
            Assert.That(greet.StartedAt, Is.Not.Null);
            Assert.That(greet.FinishedAt, Is.GreaterThanOrEqualTo(greet.StartedAt!.Value));
            Assert.That(result.Nodes.Select(n => n.NodeId), Is.EqualTo(new[] { "who", "greet", "out" }));
        });
    }
}
