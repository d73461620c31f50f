using System.Diagnostics.Metrics;
using GraphExec.ServiceDefaults;

namespace GraphExec.Scheduler.Features;

/// <summary>
/// The Scheduler's instruments on the GraphExec meter: what the dispatcher fired, what the sweeper recovered, and what the
/// partition and retention jobs created, kept and deleted.
/// </summary>
public sealed class SchedulerMetrics
{
    private readonly Counter<long> _fired;
    private readonly Histogram<double> _lateness;
    private readonly Counter<long> _notFired;
    private readonly Counter<long> _republished;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _partitionsCreated;
    private readonly Counter<long> _partitionsDropped;
    private readonly Counter<long> _rowsDeleted;
    private readonly Counter<long> _rowsKept;
    private readonly Counter<long> _blobExecutions;

    public SchedulerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Telemetry.GraphExec);
        _fired = meter.CreateCounter<long>("graphexec.schedule.fires", "{execution}", "Executions started by schedules.");
        _lateness = meter.CreateHistogram<double>("graphexec.schedule.lateness", "s", "Time from a fire time to its execution being queued.");
        _notFired = meter.CreateCounter<long>("graphexec.schedule.not_fired", "{fire}",
            "Fire times that started nothing, by reason: overlap (previous run unfinished) or misfire (missed by more than the grace period).");
        _republished = meter.CreateCounter<long>("graphexec.sweeper.republished", "{execution}",
            "Executions the sweeper published again, by reason: queued (publish lost) or lease_expired (worker stopped).");
        _failed = meter.CreateCounter<long>("graphexec.sweeper.failed", "{execution}",
            "Executions the sweeper marked Failed after the most attempts, by reason: queued or lease_expired.");
        _partitionsCreated = meter.CreateCounter<long>("graphexec.partitions.created", "{partition}", "Time partitions created ahead, by table.");
        _partitionsDropped = meter.CreateCounter<long>("graphexec.retention.partitions_dropped", "{partition}", "Expired time partitions dropped, by table.");
        _rowsDeleted = meter.CreateCounter<long>("graphexec.retention.rows_deleted", "{row}",
            "Rows deleted one by one in batches, by table and reason: shorter_retention, default_partition or dedupe_window.");
        _rowsKept = meter.CreateCounter<long>("graphexec.retention.executions_kept", "{execution}",
            "Executions moved to the DEFAULT partition when their day's partition was dropped (pinned, unfinished or longer retention).");
        _blobExecutions = meter.CreateCounter<long>("graphexec.retention.blob_executions", "{execution}",
            "Expired executions whose blobs were deleted before their rows.");
    }

    public void Fired(TimeSpan lateness)
    {
        _fired.Add(1);
        _lateness.Record(Math.Max(0, lateness.TotalSeconds));
    }

    public void NotFired(int skipped, int missed)
    {
        if (skipped > 0)
        {
            _notFired.Add(skipped, new KeyValuePair<string, object?>("reason", "overlap"));
        }

        if (missed > 0)
        {
            _notFired.Add(missed, new KeyValuePair<string, object?>("reason", "misfire"));
        }
    }

    public void Republished(string reason) => _republished.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Failed(string reason) => _failed.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void PartitionsCreated(string table, int count) => _partitionsCreated.Add(count, new KeyValuePair<string, object?>("table", table));

    public void PartitionDropped(string table) => _partitionsDropped.Add(1, new KeyValuePair<string, object?>("table", table));

    public void Deleted(string table, string reason, int count) =>
        _rowsDeleted.Add(count, new KeyValuePair<string, object?>("table", table), new KeyValuePair<string, object?>("reason", reason));

    public void Kept(int count) => _rowsKept.Add(count);

    public void BlobsDeleted(int count) => _blobExecutions.Add(count);
}
