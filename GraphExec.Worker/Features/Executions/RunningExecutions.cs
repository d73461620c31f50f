using System.Collections.Concurrent;
using GraphExec.Core.Executions;

namespace GraphExec.Worker.Features.Executions;

/// <summary>The executions this process handles right now, so that a <c>CancelExecution</c> can reach its run.</summary>
public sealed class RunningExecutions
{
    private readonly ConcurrentDictionary<Guid, RunningExecution> _runs = new();

    /// <returns>The registration, or null when this process already handles the execution (a duplicate message).</returns>
    public RunningExecution? TryBegin(Guid ownerId, Guid executionId)
    {
        var run = new RunningExecution(this, ownerId, executionId);
        if (_runs.TryAdd(executionId, run))
        {
            return run;
        }

        run.Dispose();
        return null;
    }

    /// <returns>Whether this process runs the execution and was asked to stop it.</returns>
    public bool Cancel(Guid ownerId, Guid executionId)
    {
        if (!_runs.TryGetValue(executionId, out var run) || run.OwnerId != ownerId)
        {
            return false;
        }

        run.Cancel();
        return true;
    }

    internal void Remove(RunningExecution run) => _runs.TryRemove(KeyValuePair.Create(run.ExecutionId, run));
}

/// <summary>One execution this process handles; disposing it ends the registration.</summary>
public sealed class RunningExecution(RunningExecutions registry, Guid ownerId, Guid executionId) : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();

    public Guid OwnerId { get; } = ownerId;

    public Guid ExecutionId { get; } = executionId;

    /// <summary>Fires when the owner cancels the execution.</summary>
    public CancellationToken Cancelled => _cancel.Token;

    public void Cancel()
    {
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run has just ended.
        }
    }

    public void Dispose()
    {
        registry.Remove(this);
        _cancel.Dispose();
    }
}
