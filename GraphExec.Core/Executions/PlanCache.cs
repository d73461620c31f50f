using System.Collections.Concurrent;
using GraphExec.Core.Data;
using GraphExec.Engine;
using GraphExec.Engine.Validation;
using Microsoft.Extensions.Caching.Memory;

namespace GraphExec.Core.Executions;

/// <summary>
/// Compiled plans by (owner, graph, version), in memory and bounded by their total node count. Versions are immutable,
/// so a plan never goes stale; compiling is what it saves (validation, block binding), on top of the definition cache.
/// Every service that starts or runs executions (Api, Webhooks, Worker) reads graphs through it. Callers that miss the
/// same version at once (the first deliveries of a new version, all arriving together) compile it once and share the plan.
/// </summary>
public sealed class PlanCache(GraphValidator validator, long maxNodes) : IDisposable
{
    public const string MaxNodesSetting = "Graphs:PlanCacheNodes";
    public const long DefaultMaxNodes = 1_000_000;

    private static readonly TimeSpan Idle = TimeSpan.FromHours(1);

    private readonly MemoryCache _plans = new(new MemoryCacheOptions { SizeLimit = maxNodes });
    private readonly ConcurrentDictionary<(Guid, Guid, int), Lazy<ExecutionPlan>> _compiling = new();

    public bool TryGet(Guid ownerId, GraphReference graph, out ExecutionPlan? plan) =>
        _plans.TryGetValue((ownerId, graph.GraphId, graph.Version), out plan);

    /// <returns>The plan, or null when the owner has no such graph version.</returns>
    /// <exception cref="InvalidGraphException">The stored definition does not validate (any more).</exception>
    public async ValueTask<ExecutionPlan?> GetAsync(Guid ownerId, GraphReference graph, GraphVersionCache versions, CancellationToken cancellationToken)
    {
        if (TryGet(ownerId, graph, out var cached))
        {
            return cached;
        }

        var definition = await versions.GetDefinitionAsync(ownerId, graph.GraphId, graph.Version, cancellationToken);
        if (definition is null)
        {
            return null;
        }

        var key = (ownerId, graph.GraphId, graph.Version);
        var compile = _compiling.GetOrAdd(key, _ => new Lazy<ExecutionPlan>(() => Compile(key, graph, definition)));
        try
        {
            return compile.Value;
        }
        finally
        {
            _compiling.TryRemove(KeyValuePair.Create(key, compile));
        }
    }

    private ExecutionPlan Compile((Guid, Guid, int) key, GraphReference graph, string definition)
    {
        // A caller that missed just before another one stored the plan finds it here instead of compiling it again.
        if (_plans.TryGetValue(key, out ExecutionPlan? stored) && stored is not null)
        {
            return stored;
        }

        var result = validator.Validate(definition);
        var plan = result.Plan ?? throw new InvalidGraphException(
            $"{graph} does not validate: {string.Join("; ", result.Errors.Take(3).Select(e => $"{e.Pointer} {e.Message}"))}");
        _plans.Set(key, plan, new MemoryCacheEntryOptions
        {
            Size = Math.Max(1, plan.NodeCount),
            SlidingExpiration = Idle,
        });
        return plan;
    }

    public void Dispose() => _plans.Dispose();
}

public sealed class InvalidGraphException(string message) : Exception(message);
