namespace GraphExec.Engine;

/// <summary>Runs execution plans. Stateless between runs; one instance serves a whole process.</summary>
public sealed class GraphEngine
{
    public GraphEngine(ExecutionOptions? options = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? new ExecutionOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxDegreeOfParallelism, 1, nameof(options));
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    public ExecutionOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// Runs the plan to a final status: Succeeded, Failed, Cancelled (when <paramref name="cancellationToken"/>
    /// fires) or TimedOut. Failures of the graph are reported in the result, not thrown.
    /// </summary>
    public Task<ExecutionResult> RunAsync(ExecutionPlan plan, ExecutionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        return new ExecutionRun(this, plan, request, depth: 0, cancellationToken).RunAsync();
    }
}
