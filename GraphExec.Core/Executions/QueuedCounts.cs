using System.Collections.Concurrent;

namespace GraphExec.Core.Executions;

/// <summary>
/// Each owner's queued executions as this process last counted them, so that starts count an owner's queue at most once a
/// second instead of in every insert: counting costs as much as the queue is long, and a queue is long exactly when the
/// system is busiest (10,000 queued rows took 20 ms to count, for every batch of starts). Between counts this process adds
/// what it inserts itself; other replicas' inserts show at the next count, so an owner may go over the quota by what the
/// other replicas insert in a second. One per process (a singleton beside <see cref="ExecutionStore"/>), for single starts and
/// the Scheduler's batches alike (a thousand owners' fires at once). Starts inserted in a caller's transaction count as
/// queued at once; if that transaction rolls back, the owner looks fuller than it is until the next count.
/// </summary>
public sealed class QueuedCounts
{
    private const long FreshForMs = 1_000;

    /// <summary>Past this many owners, counts that are no longer fresh are dropped: they would only be counted again.</summary>
    private const int MaxOwners = 100_000;

    private readonly ConcurrentDictionary<Guid, (int Count, long CountedAt)> _counts = new();

    /// <summary>The owner's queued executions if counted within the last second (plus what this process queued since), else null.</summary>
    public int? Fresh(Guid ownerId) =>
        _counts.TryGetValue(ownerId, out var entry) && Environment.TickCount64 - entry.CountedAt < FreshForMs ? entry.Count : null;

    /// <summary>Records a count the database just made, with the starts queued in the same statement.</summary>
    public void Counted(Guid ownerId, int count)
    {
        if (_counts.Count >= MaxOwners)
        {
            var now = Environment.TickCount64;
            foreach (var (owner, entry) in _counts)
            {
                if (now - entry.CountedAt >= FreshForMs)
                {
                    _counts.TryRemove(owner, out _);
                }
            }
        }

        _counts[ownerId] = (count, Environment.TickCount64);
    }

    /// <summary>Adds starts queued without a count, keeping the time of the count they build on.</summary>
    public void Queued(Guid ownerId, int added) =>
        _counts.AddOrUpdate(ownerId, _ => (added, 0), (_, entry) => (entry.Count + added, entry.CountedAt));
}
