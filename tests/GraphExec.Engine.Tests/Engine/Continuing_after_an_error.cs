using GraphExec.Engine;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Engine;

public class Continuing_after_an_error
{
    private const string Graph = """
        {
          "name": "Handled",
          "nodes": [
            { "id": "boom",    "block": "fail",     "config": { "message": "No stock" }, "onError": "continue" },
            { "id": "report",  "block": "template", "config": { "template": "Failed: {{e.message}} at {{e.nodeId}}" } },
            { "id": "out",     "block": "output",   "config": { "name": "report" } }
          ],
          "edges": [
            { "from": "boom.error",  "to": "report.e" },
            { "from": "report.text", "to": "out.value" }
          ]
        }
        """;

    [Test]
    public async Task Should_send_the_error_on_the_error_port_and_succeed()
    {
        var result = await TestGraphs.RunAsync(Graph);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Succeeded));
            Assert.That(result.Outputs["report"]!.GetValue<string>(), Is.EqualTo("Failed: No stock at boom"));
            Assert.That(result.Node("boom").Status, Is.EqualTo(NodeStatus.Failed));
            Assert.That(result.Node("boom").Error?.Message, Is.EqualTo("No stock"));
        });
    }

    [Test]
    public async Task Should_skip_what_the_failed_node_would_have_fed()
    {
        const string graph = """
            {
              "name": "Handled",
              "nodes": [
                { "id": "parse", "block": "expression", "config": { "expression": "1 / x" }, "onError": "continue" },
                { "id": "x",     "block": "constant",   "config": { "value": "oops" } },
                { "id": "use",   "block": "output",     "config": { "name": "value" } }
              ],
              "edges": [
                { "from": "x.value",      "to": "parse.x" },
                { "from": "parse.result", "to": "use.value" }
              ]
            }
            """;

        var result = await TestGraphs.RunAsync(graph);

        Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Succeeded));
        Assert.That(result.Node("use").Status, Is.EqualTo(NodeStatus.Skipped));
    }
}
