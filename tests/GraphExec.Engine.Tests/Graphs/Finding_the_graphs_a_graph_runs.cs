using GraphExec.Engine.Graphs;

namespace GraphExec.Engine.Tests.Graphs;

/// <summary>The versions a graph's subgraph and foreach nodes name, which are kept however many versions follow.</summary>
public sealed class Finding_the_graphs_a_graph_runs
{
    private static readonly Guid Child = Guid.Parse("0b9e7c1a-3f52-4c1e-8d2a-5e6f7a8b9c0d");

    [Test]
    public void Should_find_each_version_a_subgraph_or_foreach_names_once()
    {
        var graph = GraphJson.Deserialize($$"""
            {
              "name": "Calls",
              "nodes": [
                { "id": "one",   "block": "subgraph", "config": { "graph": "{{Child}}", "version": 3 } },
                { "id": "again", "block": "subgraph", "config": { "graph": "{{Child}}", "version": 3 } },
                { "id": "each",  "block": "foreach",  "config": { "graph": "{{Child}}", "version": 4 } },
                { "id": "text",  "block": "template", "config": { "template": "{{Child}}" } }
              ],
              "edges": []
            }
            """);

        Assert.That(GraphCalls.Of(graph), Is.EquivalentTo(new[] { new GraphReference(Child, 3), new GraphReference(Child, 4) }));
    }
}
