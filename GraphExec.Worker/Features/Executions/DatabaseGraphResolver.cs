using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Engine;

namespace GraphExec.Worker.Features.Executions;

/// <summary>
/// Resolves the graphs an execution's subgraph and foreach nodes run, only among its owner's graphs, through the plan
/// cache and the definition cache. One per execution: foreach runs children in parallel, and the definition cache's
/// database context takes one query at a time.
/// </summary>
public sealed class DatabaseGraphResolver(Guid ownerId, PlanCache plans, GraphVersionCache versions) : IGraphResolver, IDisposable
{
    private readonly SemaphoreSlim _database = new(1, 1);

    public async ValueTask<ExecutionPlan?> ResolveAsync(GraphReference graph, CancellationToken cancellationToken)
    {
        if (plans.TryGet(ownerId, graph, out var plan))
        {
            return plan;
        }

        await _database.WaitAsync(cancellationToken);
        try
        {
            return await plans.GetAsync(ownerId, graph, versions, cancellationToken);
        }
        finally
        {
            _database.Release();
        }
    }

    public void Dispose() => _database.Dispose();
}
