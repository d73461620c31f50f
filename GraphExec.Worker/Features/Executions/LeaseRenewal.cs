using System.Collections.Concurrent;
using GraphExec.Core.Executions;
using Microsoft.Extensions.Options;

namespace GraphExec.Worker.Features.Executions;

/// <summary>
/// One loop per process renews the lease of every run the process holds, every third of the lease, in one statement:
/// a worker running hundreds of executions costs one round trip per interval, not one per run, and a run pays no timer.
/// A run's <see cref="HeldLease.Lost"/> fires when the database says its lease is gone (taken over, or ended elsewhere),
/// or when renewals have failed until the lease ran out, so that it stops rather than runs twice.
/// </summary>
public sealed partial class LeaseRenewal(
    ExecutionStore store, IOptions<WorkerOptions> options, TimeProvider time, ILogger<LeaseRenewal> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, HeldLease> _held = new();

    /// <summary>Renews <paramref name="claim"/>'s lease from now until the returned lease is disposed.</summary>
    public HeldLease Hold(Claim claim)
    {
        var lease = new HeldLease(this, claim, time.GetUtcNow() + options.Value.Lease);
        _held[claim.ExecutionId] = lease;
        return lease;
    }

    internal void Release(HeldLease lease) => _held.TryRemove(KeyValuePair.Create(lease.Claim.ExecutionId, lease));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RenewEvery, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RenewAllAsync(stoppingToken);
        }
    }

    private async Task RenewAllAsync(CancellationToken cancellationToken)
    {
        var held = _held.Values.ToList();
        if (held.Count == 0)
        {
            return;
        }

        var asked = time.GetUtcNow();
        try
        {
            var renewed = await store.RenewAsync([.. held.Select(h => h.Claim)], options.Value.Lease, cancellationToken);
            foreach (var lease in held)
            {
                if (renewed.Contains(lease.Claim.ExecutionId))
                {
                    lease.ValidUntil = asked + options.Value.Lease;
                }
                else if (lease.TryLose())
                {
                    LogLeaseLost(logger, lease.Claim.ExecutionId);
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRenewFailed(logger, exception, held.Count);
            var now = time.GetUtcNow();
            // Another worker may hold them by now; stop rather than run them twice.
            foreach (var lease in held.Where(l => now >= l.ValidUntil))
            {
                lease.TryLose();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease of execution {ExecutionId}; stopping its run here")]
    private static partial void LogLeaseLost(ILogger logger, Guid executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the leases of {Count} running executions")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, int count);
}

/// <summary>A run's lease, renewed by <see cref="LeaseRenewal"/> until disposed (before the final write clears it).</summary>
public sealed class HeldLease(LeaseRenewal renewal, Claim claim, DateTimeOffset validUntil) : IDisposable
{
    private readonly CancellationTokenSource _lost = new();
    private int _released;

    public Claim Claim { get; } = claim;

    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>Until when the lease is known to hold: the last successful renewal plus the lease.</summary>
    internal DateTimeOffset ValidUntil { get; set; } = validUntil;

    /// <returns>Whether this call marked it lost (false when it was released or lost before).</returns>
    internal bool TryLose()
    {
        lock (_lost)
        {
            if (_released == 1 || _lost.IsCancellationRequested)
            {
                return false;
            }

            _lost.Cancel();
            return true;
        }
    }

    public void Dispose()
    {
        lock (_lost)
        {
            if (Interlocked.Exchange(ref _released, 1) == 1)
            {
                return;
            }
        }

        renewal.Release(this);
        _lost.Dispose();
    }
}
