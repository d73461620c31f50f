using System.Threading.Channels;
using GraphExec.Core.Data;

namespace GraphExec.Core.Executions;

/// <summary>
/// Group commit for starts that arrive at once (webhook deliveries under load): while one multi-row insert runs, the
/// executions that arrive queue up, and the next insert takes all of them (up to <see cref="MaxRows"/>) in one statement,
/// one transaction and one WAL flush. A lone start is inserted at once, so nothing waits for a window to close; under
/// load, each start waits at most for the insert under way and its own.
/// </summary>
internal sealed class GroupInsert(Func<IReadOnlyList<Execution>, CancellationToken, Task<HashSet<Guid>>> insert)
{
    /// <summary>Enough to absorb a burst; small enough that one statement stays a few milliseconds.</summary>
    internal const int MaxRows = 256;

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private int _draining;

    /// <returns>Whether the row was inserted (false: its trigger ref already had an execution).</returns>
    public Task<bool> InsertAsync(Execution execution)
    {
        var pending = new Pending(execution);
        _pending.Writer.TryWrite(pending);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = DrainAsync();
        }

        return pending.Done.Task;
    }

    private async Task DrainAsync()
    {
        await Task.Yield(); // the caller's request goes on while this loop runs
        var batch = new List<Pending>(MaxRows);
        while (true)
        {
            batch.Clear();
            while (batch.Count < MaxRows && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count == 0)
            {
                Volatile.Write(ref _draining, 0);
                // A start queued after the last read but before the flag was cleared found the loop running: take it.
                if (!_pending.Reader.TryPeek(out _) || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            await InsertBatchAsync(batch);
        }
    }

    private async Task InsertBatchAsync(List<Pending> batch)
    {
        try
        {
            // Not a caller's token: once queued, a start is inserted even if its client hangs up, as it would be alone.
            var inserted = await insert([.. batch.Select(p => p.Execution)], CancellationToken.None);
            foreach (var pending in batch)
            {
                pending.Done.TrySetResult(inserted.Contains(pending.Execution.Id));
            }
        }
        catch (Exception exception)
        {
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(exception);
            }
        }
    }

    private sealed class Pending(Execution execution)
    {
        public Execution Execution { get; } = execution;

        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
