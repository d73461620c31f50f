using System.Diagnostics;
using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Core.Quotas;
using GraphExec.Core.Values;
using GraphExec.Engine;
using GraphExec.Hosting.Secrets;
using GraphExec.Worker.Features.Secrets;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GraphExec.Worker.Features.Executions;

/// <summary>
/// Runs one claimed execution to its stored outcome: loads and compiles the pinned version, takes back the nodes a
/// previous attempt finished, runs the engine while the lease is renewed and completed nodes are written, then stores
/// the final status with every node in one round trip.
/// </summary>
public sealed partial class ExecutionRunner(
    ExecutionStore store,
    ExecutionBlobStore blobs,
    LeaseRenewal leases,
    PlanCache plans,
    GraphVersionCache versions,
    GraphEngine engine,
    ILiveEventPublisher live,
    WorkerMetrics metrics,
    IOptions<WorkerOptions> options,
    IOptions<QuotaOptions> quotas,
    NpgsqlDataSource database,
    SecretProtection protection,
    TimeProvider time,
    ILogger<ExecutionRunner> logger)
{
    /// <summary>Runs the execution.</summary>
    /// <param name="stopping">Fires when this process stops; the run is then left to another worker, not stored as cancelled.</param>
    /// <returns>The outcome, with whether it was stored (false when the lease was lost to another worker).</returns>
    /// <exception cref="OperationCanceledException">The process is stopping; the lease should be released for a takeover.</exception>
    public async Task<RunOutcome> RunAsync(Claim claim, RunningExecution running, CancellationToken stopping)
    {
        metrics.Started(claim);
        var span = Describe(Activity.Current, claim);
        try
        {
            using var lease = leases.Hold(claim);
            using var resolver = new DatabaseGraphResolver(claim.OwnerId, plans, versions);
            var values = blobs.For(new ExecutionKey(claim.OwnerId, claim.ExecutionId));

            var (plan, problem) = await LoadPlanAsync(claim, resolver, stopping);
            var result = plan is null
                ? (Unavailable(claim, problem!), [])
                : await RunPlanAsync(claim, plan, resolver, values, lease, running, stopping);
            if (result is null)
            {
                return new RunOutcome(null, Stored: false, Woken: [], Notify: false);
            }

            // Renewing no more: the final write clears the lease.
            lease.Dispose();
            var outcome = await StoreAsync(claim, values, result.Value.Result, result.Value.Restored);
            span?.SetTag(ExecutionTracing.ExecutionStatus, result.Value.Result.Status.ToString());
            if (outcome.Stored)
            {
                metrics.Completed(claim.Trigger, result.Value.Result);
                // Live or not, a watcher learns the outcome, and only once it is stored: reading the execution then finds it.
                // Its large outputs are stored by now, and it carries their references.
                live.Publish(claim.OwnerId, Completion(result.Value.Result, values));
            }

            return outcome;
        }
        finally
        {
            metrics.Ended();
        }
    }

    /// <summary>
    /// Names the execution on the span that runs it (the consumed message's), so that the trace is found by its id; the
    /// engine's node spans are its children. No owner id: the execution id leads to it for whoever may read it.
    /// </summary>
    private static Activity? Describe(Activity? span, Claim claim)
    {
        if (span is not { IsAllDataRequested: true })
        {
            return null;
        }

        span.SetTag(ExecutionTracing.ExecutionId, claim.ExecutionId);
        span.SetTag(ExecutionTracing.GraphId, claim.GraphId);
        span.SetTag(ExecutionTracing.GraphVersion, claim.GraphVersion);
        span.SetTag(ExecutionTracing.Trigger, claim.Trigger.ToString());
        span.SetTag(ExecutionTracing.Attempt, claim.Attempt);
        return span;
    }

    private async Task<(ExecutionPlan? Plan, string? Problem)> LoadPlanAsync(Claim claim, DatabaseGraphResolver resolver, CancellationToken cancellationToken)
    {
        var graph = new GraphReference(claim.GraphId, claim.GraphVersion);
        try
        {
            return await resolver.ResolveAsync(graph, cancellationToken) is { } plan
                ? (plan, null)
                : (null, $"There is no {graph}.");
        }
        catch (InvalidGraphException exception)
        {
            return (null, exception.Message);
        }
    }

    /// <returns>The result, or null when the lease was lost and another worker owns the execution now.</returns>
    private async Task<(ExecutionResult Result, IReadOnlyList<NodeResult> Restored)?> RunPlanAsync(
        Claim claim, ExecutionPlan plan, DatabaseGraphResolver resolver, ExecutionValues values, HeldLease lease, RunningExecution running,
        CancellationToken stopping)
    {
        // Only a claim after an earlier one, or a retry (which starts with the nodes it reuses), can find stored nodes; the
        // first attempt of any other run saves the query.
        IReadOnlyList<NodeResult> restored = claim.Attempt > 1 || claim.RetryOf is not null
            ? await store.LoadCompletedNodesAsync(claim, values, stopping)
            : [];
        var inputs = await values.LoadAsync(claim.Inputs, stopping);
        if (claim.Takeover)
        {
            LogResuming(logger, claim.ExecutionId, claim.Attempt, restored.Count);
        }

        ExecutionResult result;
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping, running.Cancelled, lease.Lost))
        {
            await using var progress = new ProgressWriter(claim, store, values, options.Value, claim.Live ? live : null, time, logger, restored);
            result = await engine.RunAsync(plan, new ExecutionRequest
            {
                ExecutionId = claim.ExecutionId,
                Inputs = inputs,
                CompletedNodes = restored,
                // A retry's watchers have been told nothing yet (no event was stored): they see its reused nodes end first.
                AnnounceCompletedNodes = claim.RetryOf is not null && claim.LastSequence == 0,
                LastSequence = claim.LastSequence,
                Observer = progress,
                Resolver = resolver,
                Secrets = new OwnerSecrets(claim.OwnerId, database, protection, time),
                Limits = Limits(quotas.Value.For(claim.OwnerId)),
            }, stop.Token);
        }

        if (lease.IsLost)
        {
            return null;
        }

        if (result.Status == ExecutionStatus.Cancelled && !running.Cancelled.IsCancellationRequested)
        {
            // Not the owner's cancel but this process stopping: another worker resumes it.
            throw new OperationCanceledException("The worker is stopping.", stopping);
        }

        return (result, restored);
    }

    /// <summary>The owner's budget for the whole run tree.</summary>
    private static ExecutionLimits Limits(UserQuotas quotas) => new()
    {
        MaxNodeRuns = quotas.NodeRunsPerExecution,
        MaxChildRuns = quotas.ChildRunsPerExecution,
        MaxBytesProduced = quotas.BytesPerExecution,
        MaxChildRunsInFlight = quotas.ChildRunsInFlight,
    };

    private ExecutionResult Unavailable(Claim claim, string problem)
    {
        var now = time.GetUtcNow();
        return new ExecutionResult
        {
            ExecutionId = claim.ExecutionId,
            Status = ExecutionStatus.Failed,
            Outputs = new Dictionary<string, System.Text.Json.Nodes.JsonNode?>(),
            Error = new ExecutionError(ExecutionError.GraphUnavailable, problem),
            StartedAt = now,
            FinishedAt = now,
            Nodes = [],
            // The run's final event: the engine did not run, so nothing else took a sequence.
            LastSequence = claim.LastSequence + 1,
        };
    }

    /// <summary>The final event of a run, as the engine emits it, with the values stored in blob storage as their references.</summary>
    private static ExecutionEvent Completion(ExecutionResult result, ExecutionValues values) => new()
    {
        ExecutionId = result.ExecutionId,
        Sequence = result.LastSequence,
        Type = ExecutionEventType.ExecutionCompleted,
        Status = result.Status.ToString(),
        Outputs = result.Error is null ? values.Referenced(result.Outputs) : null,
        Error = result.Error,
        Timestamp = result.FinishedAt,
    };

    private async Task<RunOutcome> StoreAsync(Claim claim, ExecutionValues values, ExecutionResult result, IReadOnlyList<NodeResult> restored)
    {
        // Restored nodes are stored already, with inputs this run does not know.
        var skip = restored.Select(node => node.NodeId).ToHashSet(StringComparer.Ordinal);
        var rows = new List<NodeRow>();
        // An outcome that exists is stored even while the process stops; large values go to blob storage first.
        foreach (var node in result.Nodes.Where(node => !skip.Contains(node.NodeId)))
        {
            var inputs = await values.StoreAsync(node.Inputs, CancellationToken.None);
            var outputs = await values.StoreAsync(node.Outputs, CancellationToken.None);
            rows.Add(new NodeRow(
                node.NodeId,
                node.Status,
                inputs.Json,
                outputs.Json,
                JsonText.Error(node.Error),
                node.Attempts,
                node.StartedAt,
                node.FinishedAt,
                inputs.HasBlobs || outputs.HasBlobs));
        }

        var executionOutputs = await values.StoreAsync(result.Outputs, CancellationToken.None);
        var (stored, woken, notify) = await store.FinishAsync(
            claim, rows, result.Status, executionOutputs.Json, JsonText.Error(result.Error), result.FinishedAt, result.LastSequence,
            executionOutputs.HasBlobs);
        if (!stored)
        {
            LogOutcomeDiscarded(logger, claim.ExecutionId, result.Status);
        }

        return new RunOutcome(result, stored, woken, notify);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming execution {ExecutionId} (attempt {Attempt}) with {Count} nodes already completed")]
    private static partial void LogResuming(ILogger logger, Guid executionId, int attempt, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} ended {Status} here, but its lease was lost; the worker holding it stores the outcome")]
    private static partial void LogOutcomeDiscarded(ILogger logger, Guid executionId, ExecutionStatus status);
}

/// <summary>
/// How a claimed run ended: its result (null when the lease was lost), whether it was stored, the owner's executions
/// woken, and whether someone is to be told of the end.
/// </summary>
public sealed record RunOutcome(ExecutionResult? Result, bool Stored, IReadOnlyList<Guid> Woken, bool Notify);
