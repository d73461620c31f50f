using System.Net;
using GraphExec.Web.Unit.Tests.Support;

namespace GraphExec.Web.Unit.Tests.Executions;

/// <summary>
/// The Api answers an execution with its first page of node results; the execution page colours every node, so the UI
/// follows the cursor through the node pages until the last.
/// </summary>
public sealed class Reading_an_execution_of_many_nodes
{
    private const string ExecutionId = "0198a1f6-7c1d-7b3e-9a51-3f2a9c1e4b10";

    [Test]
    public async Task Should_read_every_node_page_after_the_first()
    {
        var api = new FakeApi(HttpStatusCode.OK, Execution(nextCursor: "\"Yg\""))
            .Then(HttpStatusCode.OK, """{"items":[""" + Node("b") + """],"nextCursor":"Yw"}""")
            .Then(HttpStatusCode.OK, """{"items":[""" + Node("c") + """],"nextCursor":null}""");

        var execution = await api.Client.GetExecutionAsync(Guid.Parse(ExecutionId));

        Assert.Multiple(() =>
        {
            Assert.That(execution.Nodes.Select(n => n.NodeId), Is.EqualTo(new[] { "a", "b", "c" }));
            Assert.That(execution.NodesNextCursor, Is.Null);
            Assert.That(api.Requests, Is.EqualTo(new[]
            {
                $"GET /api/executions/{ExecutionId}",
                $"GET /api/executions/{ExecutionId}/nodes?limit=500&cursor=Yg",
                $"GET /api/executions/{ExecutionId}/nodes?limit=500&cursor=Yw",
            }));
        });
    }

    [Test]
    public async Task Should_ask_no_more_when_the_first_page_holds_every_node()
    {
        var api = new FakeApi(HttpStatusCode.OK, Execution(nextCursor: "null"));

        var execution = await api.Client.GetExecutionAsync(Guid.Parse(ExecutionId));

        Assert.That(execution.Nodes.Select(n => n.NodeId), Is.EqualTo(new[] { "a" }));
        Assert.That(api.Requests, Has.Count.EqualTo(1));
    }

    private static string Execution(string nextCursor) => $$"""
        {"id":"{{ExecutionId}}","graphId":"0198a1f6-7c1d-7b3e-9a51-3f2a9c1e4b11","graphVersion":1,"trigger":"manual",
         "status":"Succeeded","live":false,"inputs":{},"outputs":{},"error":null,"attempt":1,
         "queuedAt":"2025-03-01T12:00:00+00:00","startedAt":"2025-03-01T12:00:00+00:00","finishedAt":"2025-03-01T12:00:01+00:00",
         "nodes":[{{Node("a")}}],"nodesNextCursor":{{nextCursor}}}
        """;

    private static string Node(string nodeId) => $$"""
        {"nodeId":"{{nodeId}}","status":"Succeeded","inputs":{},"outputs":{},"error":null,"attempts":1,
         "startedAt":"2025-03-01T12:00:00+00:00","finishedAt":"2025-03-01T12:00:01+00:00"}
        """;
}
