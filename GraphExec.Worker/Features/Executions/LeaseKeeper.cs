using GraphExec.Core.Executions;

namespace GraphExec.Worker.Features.Executions;

/// <summary>
/// Renews a claim's lease every third of it while the run goes on. <see cref="Lost"/> fires when the database says the
/// lease is gone (taken over, or the execution ended elsewhere), or when renewals have failed until it expired.
/// </summary>
public sealed partial class LeaseKeeper : IAsyncDisposable
{
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Claim _claim;
    private readonly ExecutionStore _store;
    private readonly WorkerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Task _loop;

    public LeaseKeeper(Claim claim, ExecutionStore store, WorkerOptions options, TimeProvider time, ILogger logger)
    {
        _claim = claim;
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        _loop = Task.Run(RenewLoopAsync);
    }

    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>Stops renewing (before the final write clears the lease).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        _lost.Dispose();
    }

    private async Task RenewLoopAsync()
    {
        var validUntil = _time.GetUtcNow() + _options.Lease;
        using var timer = new PeriodicTimer(_options.RenewEvery, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var asked = _time.GetUtcNow();
                try
                {
                    if (!await _store.RenewAsync(_claim, _options.Lease, _stop.Token))
                    {
                        LogLeaseLost(_logger, _claim.ExecutionId);
                        await _lost.CancelAsync();
                        return;
                    }

                    validUntil = asked + _options.Lease;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogRenewFailed(_logger, exception, _claim.ExecutionId);
                    if (_time.GetUtcNow() >= validUntil)
                    {
                        // Another worker may hold it by now; stop rather than run it twice.
                        await _lost.CancelAsync();
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped: the run ended.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease of execution {ExecutionId}; stopping its run here")]
    private static partial void LogLeaseLost(ILogger logger, Guid executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the lease of execution {ExecutionId}")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, Guid executionId);
}
