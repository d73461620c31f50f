using System.Text;
using GraphExec.Engine;
using GraphExec.Engine.Blocks;
using GraphExec.Engine.Validation;

namespace GraphExec.Benchmarks;

/// <summary>The graphs measured, written as users would write them and compiled as the Worker would.</summary>
public static class Graphs
{
    public static BlockCatalog Catalog { get; } = BlockCatalog.CreateDefault();

    /// <summary>A constant, <paramref name="count"/> - 1 pass-through nodes, each feeding the next.</summary>
    public static ExecutionPlan Chain(int count)
    {
        var nodes = new StringBuilder("""{ "id": "n0", "block": "constant", "config": { "value": 42 } }""");
        var edges = new StringBuilder();
        for (var i = 1; i < count; i++)
        {
            nodes.Append($$""", { "id": "n{{i}}", "block": "coalesce", "config": { "inputs": ["in"] } }""");
            edges.Append(i == 1 ? string.Empty : ", ").Append($$"""{ "from": "n{{i - 1}}.value", "to": "n{{i}}.in" }""");
        }

        return Compile($$"""{ "name": "Chain", "nodes": [{{nodes}}], "edges": [{{edges}}] }""");
    }

    /// <summary>A constant feeding <paramref name="count"/> - 2 pass-through nodes, all joined by one coalesce.</summary>
    public static ExecutionPlan FanOutFanIn(int count)
    {
        var width = count - 2;
        var nodes = new StringBuilder("""{ "id": "root", "block": "constant", "config": { "value": 42 } }""");
        var edges = new StringBuilder();
        var joinInputs = string.Join(", ", Enumerable.Range(0, width).Select(i => $"\"i{i}\""));
        for (var i = 0; i < width; i++)
        {
            nodes.Append($$""", { "id": "n{{i}}", "block": "coalesce", "config": { "inputs": ["in"] } }""");
            edges.Append(i == 0 ? string.Empty : ", ")
                .Append($$"""{ "from": "root.value", "to": "n{{i}}.in" }, { "from": "n{{i}}.value", "to": "join.i{{i}}" }""");
        }

        nodes.Append($$""", { "id": "join", "block": "coalesce", "config": { "inputs": [{{joinInputs}}] } }""");
        return Compile($$"""{ "name": "Fan", "nodes": [{{nodes}}], "edges": [{{edges}}] }""");
    }

    public static ExecutionPlan Compile(string json)
    {
        var result = new GraphValidator(Catalog).Validate(json);
        return result.Plan ?? throw new InvalidOperationException(string.Join(Environment.NewLine, result.Errors));
    }
}
