using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Api.Infrastructure;
using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Core.Graphs;
using GraphExec.Core.Values;
using GraphExec.Engine;
using GraphExec.Hosting;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GraphExec.Api.Features.Executions;

public static class ExecutionsApi
{
    /// <summary>
    /// Node results are pages of their own, so that an execution of 10,000 nodes reads as cheaply as one of three: the
    /// execution carries the first page, <c>/nodes</c> the rest.
    /// </summary>
    public static readonly PageLimits NodePages = new(100, 500);

    public static IEndpointRouteBuilder MapExecutionsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/graphs").WithTags("Executions")
            .MapPost("/{id:guid}/executions", RunAsync)
            // Inputs may be as large as a stored value, far above what any other request needs.
            .WithMetadata(new RequestSizeLimitAttribute(routes.ServiceProvider.GetRequiredService<IOptions<ApiOptions>>().Value.MaxRunBodyBytes))
            .WithName("RunGraph")
            .WithSummary("Starts a manual run of the graph's newest version; answers 202 with the execution id.");

        var group = routes.MapGroup("/api/executions").WithTags("Executions");
        group.MapGet("/", ListAsync).WithName("ListExecutions")
            .WithSummary("Lists your executions, newest first, filtered by graph, status (Queued, Running, …) and trigger (manual, webhook, schedule, error).");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetExecution")
            .WithSummary("Gets an execution with the first page of its node results (by node id) and the cursor of the next.");
        group.MapGet("/{id:guid}/nodes", ListNodesAsync).WithName("ListExecutionNodes")
            .WithSummary("Lists an execution's node results by node id, a page at a time.");
        group.MapGet("/{id:guid}/values/{key}", GetValueAsync).WithName("GetExecutionValue")
            .WithSummary("Streams a value of the execution kept in blob storage (the href of a value's reference), as JSON.");
        group.MapPost("/{id:guid}/rerun", RerunAsync).WithName("RerunExecution")
            .WithSummary("Runs an execution's graph again with the same inputs, on the version it ran or on the newest.");
        group.MapPost("/{id:guid}/retry", RetryAsync).WithName("RetryExecution")
            .WithSummary("Retries a failed, timed-out or cancelled execution from its failed node: a new execution of the same version and inputs that reuses the results of the nodes that had completed.");
        group.MapPost("/{id:guid}/cancel", CancelAsync).WithName("CancelExecution")
            .WithSummary("Cancels an execution: a queued one never starts (200); a running one stops within a second (202).");
        return routes;
    }

    public static async Task<Results<Accepted<RunAccepted>, NotFound, ValidationProblem, ProblemHttpResult>> RunAsync(
        Guid id, RunRequest? run, ClaimsPrincipal user, NewestPlans plans, ExecutionStarter starter, GraphExecDbContext db,
        HttpResponse response, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        var newest = await plans.GetAsync(ownerId, id, cancellationToken);
        if (newest is not NewestPlan.Found found)
        {
            return newest is NewestPlan.NoLongerValid invalid ? Problems.NoLongerValid(invalid) : TypedResults.NotFound();
        }

        var inputs = run?.Inputs ?? [];
        var inputErrors = InputCheck.Check(found.Plan.Inputs, inputs, rejectUnknown: true);
        if (inputErrors.Count > 0)
        {
            return Problems.Invalid(inputErrors, "The inputs do not fit the graph.");
        }

        // A credential deleted since the graph was saved: say so now rather than in a failed node.
        if (await db.FindMissingAsync(ownerId, found.Plan, cancellationToken) is { Count: > 0 } missingSecrets)
        {
            return Problems.Invalid(missingSecrets, "The graph uses credentials you do not have.");
        }

        return await StartAsync(
            starter, new StartExecution(ownerId, id, found.Version, TriggerKind.Manual, TriggerRef: null, inputs, run?.Live ?? false),
            response, cancellationToken);
    }

    /// <summary>
    /// A new manual execution with the inputs of an earlier one (its large values read back from blob storage and stored
    /// anew for the new execution). On its own version the inputs fit as they did; on the newest they are checked again,
    /// and a graph that no longer takes them answers which. A graph deleted since answers 404, as does another user's
    /// execution.
    /// </summary>
    public static async Task<Results<Accepted<RunAccepted>, NotFound, ValidationProblem, ProblemHttpResult>> RerunAsync(
        Guid id, RerunRequest? rerun, ClaimsPrincipal user, NewestPlans plans, ExecutionStarter starter, ExecutionBlobStore blobs,
        GraphExecDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        var onNewest = rerun?.Version switch
        {
            null or RerunRequest.Same => false,
            RerunRequest.Newest => true,
            _ => (bool?)null,
        };
        if (onNewest is null)
        {
            return Problems.Invalid("/version", $"version is '{RerunRequest.Same}' (the version the execution ran) or '{RerunRequest.Newest}'.");
        }

        var ownerId = user.OwnerId();
        var source = await db.Executions.AsNoTracking()
            .Where(e => e.OwnerId == ownerId && e.Id == id)
            .Select(e => new { e.GraphId, e.GraphVersion, e.Inputs })
            .SingleOrDefaultAsync(cancellationToken);
        var newest = source is null ? null : await plans.GetAsync(ownerId, source.GraphId, cancellationToken);
        if (source is null || newest is null or NewestPlan.NotFound)
        {
            return TypedResults.NotFound();
        }

        var inputs = new JsonObject(await blobs.For(new ExecutionKey(ownerId, id)).LoadAsync(source.Inputs, cancellationToken));
        var version = source.GraphVersion;
        if (onNewest.Value)
        {
            if (newest is not NewestPlan.Found found)
            {
                return Problems.NoLongerValid((NewestPlan.NoLongerValid)newest);
            }

            if (InputCheck.Check(found.Plan.Inputs, inputs, rejectUnknown: true) is { Count: > 0 } inputErrors)
            {
                return Problems.Invalid(inputErrors, "The execution's inputs do not fit the graph's newest version.");
            }

            version = found.Version;
        }

        return await StartAsync(
            starter, new StartExecution(ownerId, source.GraphId, version, TriggerKind.Manual, TriggerRef: null, inputs, rerun?.Live ?? false),
            response, cancellationToken);
    }

    /// <summary>
    /// A new execution of the same version and inputs (<c>retryOf</c> names the one it retries) into which the results
    /// of the nodes that had completed are copied, marked <c>reusedFrom</c>: only the failed node and what had not run
    /// run. Only a Failed, TimedOut or Cancelled execution can be retried (409 otherwise); another user's execution, or
    /// one whose graph was deleted since, answers 404.
    /// </summary>
    public static async Task<Results<Accepted<RunAccepted>, NotFound, ValidationProblem, ProblemHttpResult>> RetryAsync(
        Guid id, RetryRequest? retry, ClaimsPrincipal user, ExecutionRetrier retrier, HttpResponse response, CancellationToken cancellationToken) =>
        await retrier.RetryAsync(user.OwnerId(), id, retry?.Live, cancellationToken) switch
        {
            RetryOutcome.Started started => Answer(started.Execution, response),
            RetryOutcome.NotRetriable notRetriable => Problems.Conflict(
                Problems.NotRetriable,
                "Only a failed, timed-out or cancelled execution can be retried.",
                $"The execution is {notRetriable.Status}."),
            _ => TypedResults.NotFound(),
        };

    /// <summary>Starts a manual execution; a refusal (the queued quota, an input too large to store) answers its problem.</summary>
    private static async Task<Results<Accepted<RunAccepted>, NotFound, ValidationProblem, ProblemHttpResult>> StartAsync(
        ExecutionStarter starter, StartExecution start, HttpResponse response, CancellationToken cancellationToken) =>
        Answer(await starter.StartAsync(start, cancellationToken), response);

    /// <summary>202 with the execution started, or the problem of its refusal.</summary>
    private static Results<Accepted<RunAccepted>, NotFound, ValidationProblem, ProblemHttpResult> Answer(StartedExecution started, HttpResponse response)
    {
        if (started.OverQuota is { } overQuota)
        {
            return QuotaProblems.Waiting(overQuota, response);
        }

        if (started.TooLarge is { } tooLarge)
        {
            return TypedResults.Problem(
                title: "An input is too large.",
                detail: tooLarge.Message,
                statusCode: StatusCodes.Status413PayloadTooLarge,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [$"/inputs/{tooLarge.Name}"] = [tooLarge.Message] } });
        }

        return TypedResults.Accepted($"/api/executions/{started.ExecutionId}", new RunAccepted(started.ExecutionId, ExecutionStatus.Queued));
    }

    public static async Task<Results<Ok<Page<ExecutionSummaryDto>>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, GraphExecDbContext db, Guid? graphId, string? status, string? trigger, string? cursor, int? limit,
        CancellationToken cancellationToken)
    {
        if (Paging.Check(cursor, limit, out PageRequest<Guid> page) is { } badPage)
        {
            return badPage;
        }

        var ownerId = user.OwnerId();
        var executions = db.Executions.AsNoTracking().Where(e => e.OwnerId == ownerId);
        if (graphId is { } graph)
        {
            executions = executions.Where(e => e.GraphId == graph);
        }

        if (status is not null)
        {
            if (!Enum.TryParse<ExecutionStatus>(status, ignoreCase: true, out var wanted) || !Enum.IsDefined(wanted))
            {
                return Problems.Invalid("status", $"The status must be one of: {string.Join(", ", Enum.GetNames<ExecutionStatus>())}.");
            }

            // Queued and Running share one index key (a null finished status): the key first, then the status itself.
            executions = ExecutionSql.IsEnd(wanted)
                ? executions.Where(e => e.FinishedStatus == wanted)
                : executions.Where(e => e.FinishedStatus == null && e.Status == wanted);
        }

        if (trigger is not null)
        {
            if (!Enum.TryParse<TriggerKind>(trigger, ignoreCase: true, out var wanted) || !Enum.IsDefined(wanted))
            {
                return Problems.Invalid("trigger", "The trigger must be one of: manual, webhook, schedule, error.");
            }

            executions = executions.Where(e => e.Trigger == wanted);
        }

        return TypedResults.Ok(await executions.ToPageAsync(
            e => e.Id,
            page,
            e => new ExecutionSummaryDto(
                e.Id, e.GraphId, e.GraphVersion, e.Trigger, e.Status, e.Pinned, e.RetryOf, JsonColumns.ParseOrNull(e.Error), e.QueuedAt, e.StartedAt,
                e.FinishedAt),
            cancellationToken));
    }

    public static async Task<Results<Ok<CancelResponse>, Accepted<CancelResponse>, NotFound, ProblemHttpResult>> CancelAsync(
        Guid id, ClaimsPrincipal user, ExecutionCanceller canceller, CancellationToken cancellationToken) =>
        await canceller.CancelAsync(user.OwnerId(), id, cancellationToken) switch
        {
            CancelOutcome.Cancelled => TypedResults.Ok(new CancelResponse(id, ExecutionStatus.Cancelled)),
            CancelOutcome.CancelRequested => TypedResults.Accepted($"/api/executions/{id}", new CancelResponse(id, ExecutionStatus.Running)),
            CancelOutcome.AlreadyFinished => TypedResults.Problem(
                title: "The execution has already finished.", statusCode: StatusCodes.Status409Conflict),
            _ => TypedResults.NotFound(),
        };

    public static async Task<Results<Ok<ExecutionDto>, NotFound>> GetAsync(
        Guid id, ClaimsPrincipal user, GraphExecDbContext db, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        var execution = await db.Executions.AsNoTracking().SingleOrDefaultAsync(e => e.OwnerId == ownerId && e.Id == id, cancellationToken);
        if (execution is null)
        {
            return TypedResults.NotFound();
        }

        var nodes = await ReadNodesAsync(db, ownerId, id, execution.HasBlobs, new PageRequest<string>(null, NodePages.Default), cancellationToken);
        JsonElement? Values(string? json) => ValueLinks.Column(json, id, execution.HasBlobs);
        return TypedResults.Ok(new ExecutionDto(
            execution.Id, execution.GraphId, execution.GraphVersion, execution.Trigger, execution.Status, execution.Pinned, execution.Live, execution.RetryOf,
            Values(execution.Inputs)!.Value, Values(execution.Outputs), JsonColumns.ParseOrNull(execution.Error),
            execution.Attempt, execution.QueuedAt, execution.StartedAt, execution.FinishedAt,
            nodes.Items, nodes.NextCursor));
    }

    public static async Task<Results<Ok<Page<NodeExecutionDto>>, NotFound, ValidationProblem>> ListNodesAsync(
        Guid id, ClaimsPrincipal user, GraphExecDbContext db, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (Paging.Check(cursor, limit, out PageRequest<string> page, NodePages) is { } badPage)
        {
            return badPage;
        }

        var ownerId = user.OwnerId();
        var nodes = await ReadNodesAsync(db, ownerId, id, hasBlobs: true, page, cancellationToken);

        // Node rows exist only for an execution of their owner, so only an empty page needs to ask whether it is one.
        if (nodes.Items.Count == 0 && !await db.Executions.AnyAsync(e => e.OwnerId == ownerId && e.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(nodes);
    }

    /// <summary>
    /// Streams a value kept in blob storage, straight from the blob (never whole in memory). The blob's name is built from
    /// the caller's own id and an execution the caller has, so another user's value answers 404 like a missing one.
    /// </summary>
    public static async Task<Results<FileStreamHttpResult, NotFound>> GetValueAsync(
        Guid id, string key, ClaimsPrincipal user, GraphExecDbContext db, ExecutionBlobStore blobs, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        if (!ValueReference.IsKey(key) || !await db.Executions.AnyAsync(e => e.OwnerId == ownerId && e.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var value = await blobs.OpenAsync(new ExecutionKey(ownerId, id), key, cancellationToken);
        return value is null ? TypedResults.NotFound() : TypedResults.Stream(value, "application/json");
    }

    /// <summary>
    /// One page of an execution's node results in primary-key order <c>(owner_id, execution_id, node_id)</c>, so that
    /// every page is a range scan of that key. Only an execution with blobs has references to link
    /// (<paramref name="hasBlobs"/>: the node list does not read the execution, so it looks for them).
    /// </summary>
    private static Task<Page<NodeExecutionDto>> ReadNodesAsync(
        GraphExecDbContext db, Guid ownerId, Guid executionId, bool hasBlobs, PageRequest<string> page, CancellationToken cancellationToken) =>
        db.NodeExecutions.AsNoTracking()
            .Where(n => n.OwnerId == ownerId && n.ExecutionId == executionId)
            .ToPageAsync(
                n => n.NodeId,
                KeyOrder.Ascending,
                page,
                n => new NodeExecutionDto(
                    n.NodeId, n.Status, ValueLinks.Column(n.Inputs, executionId, hasBlobs), ValueLinks.Column(n.Outputs, executionId, hasBlobs),
                    JsonColumns.ParseOrNull(n.Error), n.Attempts, n.StartedAt, n.FinishedAt, n.ReusedFrom),
                cancellationToken);
}
