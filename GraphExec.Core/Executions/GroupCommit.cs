using System.Threading.Channels;
using Npgsql;

namespace GraphExec.Core.Executions;

/// <summary>
/// Group commit for writes that arrive at once (webhook deliveries at the ingress, claims and finishes in a Worker): while
/// one batch statement runs, the items that arrive queue up, and the next statement takes all of them (up to
/// <see cref="MaxItems"/>) in one round trip, one transaction and one WAL flush. A lone item goes at once, so nothing
/// waits for a window to close; under load, each item waits at most for the batch under way and its own.
/// <para>
/// A batch the database refuses (a value it cannot store, say) is tried again item by item, so that the item at fault
/// fails alone and the others in its batch go through; a batch that could not reach the database fails all its items
/// at once, as each would have failed alone.
/// </para>
/// </summary>
/// <param name="write">Writes a batch in one transaction and answers one result per item, in the items' order.</param>
internal sealed class GroupCommit<TItem, TResult>(Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> write)
{
    /// <summary>Enough to absorb a burst; small enough that one statement stays a few milliseconds.</summary>
    internal const int MaxItems = 256;

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private int _draining;

    /// <summary>Queues the item for the next batch; once queued, it is written even if its caller stops waiting.</summary>
    public Task<TResult> WriteAsync(TItem item)
    {
        var pending = new Pending(item);
        _pending.Writer.TryWrite(pending);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = DrainAsync();
        }

        return pending.Done.Task;
    }

    private async Task DrainAsync()
    {
        await Task.Yield(); // the caller goes on while this loop runs
        var batch = new List<Pending>(MaxItems);
        while (true)
        {
            batch.Clear();
            while (batch.Count < MaxItems && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count == 0)
            {
                Volatile.Write(ref _draining, 0);
                // An item queued after the last read but before the flag was cleared found the loop running: take it.
                if (!_pending.Reader.TryPeek(out _) || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            if (await TryWriteAsync(batch) is PostgresException && batch.Count > 1)
            {
                foreach (var pending in batch)
                {
                    await TryWriteAsync([pending]);
                }
            }
        }
    }

    /// <returns>Null when the batch was written, or why it failed: the items of a batch that the server refused are left waiting.</returns>
    private async Task<Exception?> TryWriteAsync(List<Pending> batch)
    {
        try
        {
            // Not a caller's token: a queued item is written even if its caller hangs up, as it would be alone.
            var results = await write([.. batch.Select(p => p.Item)], CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
            }

            return null;
        }
        catch (Exception exception)
        {
            if (exception is not PostgresException || batch.Count == 1)
            {
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(exception);
                }
            }

            return exception;
        }
    }

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;

        public TaskCompletionSource<TResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
