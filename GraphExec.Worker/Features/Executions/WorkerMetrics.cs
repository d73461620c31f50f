using System.Diagnostics;
using System.Diagnostics.Metrics;
using GraphExec.Core.Data;
using GraphExec.Core.Data.Partitioning;
using GraphExec.Core.Executions;
using GraphExec.Core.Telemetry;
using GraphExec.Engine;
using GraphExec.ServiceDefaults;

namespace GraphExec.Worker.Features.Executions;

/// <summary>The Worker's instruments on the GraphExec meter.</summary>
public sealed class WorkerMetrics
{
    private readonly Counter<long> _started;
    private readonly Counter<long> _completed;
    private readonly Histogram<double> _executionDuration;
    private readonly Histogram<double> _nodeDuration;
    private readonly UpDownCounter<long> _running;
    private readonly Counter<long> _claimConflicts;
    private readonly Counter<long> _takeovers;
    private readonly Counter<long> _parked;
    private readonly Counter<long> _claims;
    private readonly UpDownCounter<long> _detached;
    private readonly Histogram<double> _startLatency;
    private readonly Counter<long> _budgetExceeded;
    private readonly TimeProvider _time;

    public WorkerMetrics(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(Telemetry.GraphExec);
        _started = meter.CreateCounter<long>("graphexec.executions.started", "{execution}", "Executions a worker claimed and started or resumed.");
        _completed = meter.CreateCounter<long>("graphexec.executions.completed", "{execution}", "Executions that reached a final status.");
        _executionDuration = meter.CreateHistogram<double>("graphexec.execution.duration", "s", "Time from claim to final status, per run.");
        _nodeDuration = meter.CreateHistogram<double>("graphexec.node.duration", "s", "Time from start to end of each node that ran.");
        _running = meter.CreateUpDownCounter<long>("graphexec.executions.running", "{execution}", "Executions running in this process.");
        _claimConflicts = meter.CreateCounter<long>("graphexec.execution.claim_conflicts", "{message}", "Messages for executions another worker held.");
        _takeovers = meter.CreateCounter<long>("graphexec.execution.lease_takeovers", "{execution}", "Executions claimed after another worker's lease expired.");
        _claims = meter.CreateCounter<long>("graphexec.execution.claims", "{message}", "ExecuteGraph messages handled, by what the claim found.");
        _detached = meter.CreateUpDownCounter<long>(
            "graphexec.executions.detached", "{execution}", "Long runs in this process that gave their consumer slot back and carry on under their lease.");
        _parked = meter.CreateCounter<long>("graphexec.executions.parked", "{execution}", "Executions held back because their owner ran as many as allowed.");
        _startLatency = meter.CreateHistogram(
            "graphexec.execution.start_latency", "s", "From an execution's trigger (queued) to a worker starting it, first claims only, by trigger.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });
        _budgetExceeded = meter.CreateCounter<long>(
            "graphexec.budget.exceeded", "{execution}", "Executions ended because their tree went over its budget (node runs, child runs, bytes).");
    }

    public void Detached(int change) => _detached.Add(change);

    /// <summary>
    /// Counts a claimed execution; a first claim also records its start latency, from the time in its UUIDv7 id (taken
    /// when it was queued). A takeover's would measure the lost worker's lease, not the trigger's wait.
    /// </summary>
    public void Started(Claim claim)
    {
        var trigger = new KeyValuePair<string, object?>("trigger", PlatformMetrics.TriggerName(claim.Trigger));
        _started.Add(1, trigger);
        _running.Add(1);
        if (claim.Takeover)
        {
            _takeovers.Add(1);
        }
        else
        {
            _startLatency.Record(Math.Max(0, (_time.GetUtcNow() - Uuid7.TimeOf(claim.ExecutionId)).TotalSeconds), trigger);
        }
    }

    public void Ended() => _running.Add(-1);

    public void Completed(TriggerKind trigger, ExecutionResult result)
    {
        var tags = new TagList { { "trigger", PlatformMetrics.TriggerName(trigger) }, { "status", result.Status.ToString() } };
        _completed.Add(1, tags);
        if (result.Error?.Code == ExecutionError.BudgetExceeded)
        {
            _budgetExceeded.Add(1);
        }

        _executionDuration.Record((result.FinishedAt - result.StartedAt).TotalSeconds, tags);
        if (!_nodeDuration.Enabled)
        {
            return;
        }

        foreach (var node in result.Nodes)
        {
            if (node is { StartedAt: { } started, FinishedAt: { } finished })
            {
                _nodeDuration.Record((finished - started).TotalSeconds, new KeyValuePair<string, object?>("status", node.Status.ToString()));
            }
        }
    }

    /// <summary>Counts a message by what its claim found: claimed, parked, held_elsewhere, finished, not_found, already_here.</summary>
    public void Claim(string outcome)
    {
        _claims.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        switch (outcome)
        {
            case ClaimOutcomes.HeldElsewhere:
                _claimConflicts.Add(1);
                break;
            case ClaimOutcomes.Parked:
                _parked.Add(1);
                break;
        }
    }
}

/// <summary>The <c>outcome</c> tag values of <c>graphexec.execution.claims</c>.</summary>
public static class ClaimOutcomes
{
    public const string Claimed = "claimed";
    public const string Parked = "parked";
    public const string HeldElsewhere = "held_elsewhere";
    public const string Finished = "finished";
    public const string NotFound = "not_found";
    public const string AlreadyHere = "already_here";

    public static string Of(ClaimOutcome outcome) => outcome switch
    {
        ClaimOutcome.Claimed => Claimed,
        ClaimOutcome.Parked => Parked,
        ClaimOutcome.HeldElsewhere => HeldElsewhere,
        ClaimOutcome.Finished => Finished,
        _ => NotFound,
    };
}
