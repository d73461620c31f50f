using GraphExec.Engine;

namespace GraphExec.Engine.Tests.Support;

/// <summary>Resolves graph references to graphs compiled from JSON, as the Worker does from its store.</summary>
public sealed class InMemoryResolver : IGraphResolver
{
    private readonly Dictionary<GraphReference, ExecutionPlan> _plans = [];

    public InMemoryResolver Add(Guid id, int version, string json)
    {
        _plans[new GraphReference(id, version)] = TestGraphs.Compile(json);
        return this;
    }

    public ValueTask<ExecutionPlan?> ResolveAsync(GraphReference graph, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_plans.GetValueOrDefault(graph));
}
