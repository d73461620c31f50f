using System.Security.Claims;
using System.Text;
using GraphExec.Api.Infrastructure;
using GraphExec.Core.Data;
using GraphExec.Core.Graphs;
using GraphExec.Core.Quotas;
using GraphExec.Engine.Graphs;
using GraphExec.Engine.Json;
using GraphExec.Hosting;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Api.Features.Graphs;

public static class GraphsApi
{
    private const string InvalidGraphTitle = "The graph is not valid.";

    public static RouteGroupBuilder MapGraphsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/graphs").WithTags("Graphs");

        group.MapGet("/", ListAsync).WithName("ListGraphs").WithSummary("Lists your graphs, newest first; `search` matches names.");
        group.MapPost("/", CreateAsync).WithName("CreateGraph").WithSummary("Saves a new graph as its version 1.")
            .Accepts<GraphDefinition>("application/json");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetGraph").WithSummary("Gets a graph with its newest definition.");
        group.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateGraph").WithSummary("Saves a new immutable version of a graph.")
            .Accepts<GraphDefinition>("application/json");
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteGraph")
            .WithSummary("Deletes a graph. Its executions and their pinned versions stay readable.");
        group.MapGet("/{id:guid}/versions", ListVersionsAsync).WithName("ListGraphVersions").WithSummary("Lists a graph's versions, newest first.");
        group.MapGet("/{id:guid}/versions/{version:int}", GetVersionAsync).WithName("GetGraphVersion").WithSummary("Gets one version's definition.");

        return group;
    }

    public static async Task<Results<Ok<Page<GraphSummaryDto>>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, GraphExecDbContext db, string? search, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (Paging.Check(cursor, limit, out PageRequest<Guid> page) is { } badPage)
        {
            return badPage;
        }

        // Names are stored text: one that cannot be (U+0000) cannot match, and PostgreSQL would refuse the query.
        if (search is not null && StorableText.Problem(search) is { } unsearchable)
        {
            return Problems.Invalid("search", $"The search text {unsearchable}.");
        }

        var ownerId = user.OwnerId();
        var graphs = db.Graphs.AsNoTracking().Where(g => g.OwnerId == ownerId && g.DeletedAt == null);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = "%" + search.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            graphs = graphs.Where(g => EF.Functions.ILike(g.Name, pattern));
        }

        return TypedResults.Ok(await graphs.ToPageAsync(
            g => g.Id, page, g => new GraphSummaryDto(g.Id, g.Name, g.Description, g.Version, g.CreatedAt, g.UpdatedAt), cancellationToken));
    }

    public static async Task<Results<Created<GraphDto>, ValidationProblem, ProblemHttpResult, StatusCodeHttpResult>> CreateAsync(
        HttpRequest request, ClaimsPrincipal user, [AsParameters] GraphWriting writing, CancellationToken cancellationToken)
    {
        if (!GraphBody.IsJson(request))
        {
            return TypedResults.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }

        var validation = await writing.Body.ReadAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation.Errors, InvalidGraphTitle);
        }

        if (await writing.FindInvalidReferencesAsync(user.OwnerId(), graphId: null, validation.Plan, cancellationToken) is { Count: > 0 } invalid)
        {
            return Problems.Invalid(invalid, InvalidGraphTitle);
        }

        var db = writing.Db;
        var now = writing.Time.GetUtcNow();
        var graph = new Graph
        {
            OwnerId = user.OwnerId(),
            Id = Guid.CreateVersion7(),
            Name = validation.Graph.Name,
            Description = validation.Graph.Description,
            ErrorGraphId = validation.Graph.Settings?.ErrorGraphId,
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var version = NewVersion(graph, validation.Graph, now);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var change = new UsageChange(Graphs: 1, StoredBytes: version.SizeBytes);
        if (await db.ChangeUsageAsync(graph.OwnerId, change, writing.QuotasOf(graph.OwnerId), cancellationToken) is { } overQuota)
        {
            return QuotaProblems.Kept(overQuota);
        }

        db.Graphs.Add(graph);
        db.GraphVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        await db.PinCallsAsync(graph.OwnerId, validation.Graph, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await writing.Versions.AddAsync(version, cancellationToken);

        return TypedResults.Created($"/api/graphs/{graph.Id}", ToDto(graph, version.Definition));
    }

    public static async Task<Results<Ok<GraphDto>, NotFound>> GetAsync(
        Guid id, ClaimsPrincipal user, GraphExecDbContext db, GraphVersionCache versions, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        var graph = await db.Graphs.AsNoTracking().Existing(ownerId, id).SingleOrDefaultAsync(cancellationToken);
        if (graph is null || await versions.GetDefinitionAsync(ownerId, id, graph.Version, cancellationToken) is not { } definition)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(ToDto(graph, definition));
    }

    public static async Task<Results<Ok<GraphDto>, NotFound, ValidationProblem, ProblemHttpResult, StatusCodeHttpResult>> UpdateAsync(
        Guid id, HttpRequest request, ClaimsPrincipal user, [AsParameters] GraphWriting writing, CancellationToken cancellationToken)
    {
        if (!GraphBody.IsJson(request))
        {
            return TypedResults.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }

        var db = writing.Db;
        var ownerId = user.OwnerId();
        if (!await db.Graphs.Existing(ownerId, id).AnyAsync(cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var validation = await writing.Body.ReadAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation.Errors, InvalidGraphTitle);
        }

        if (await writing.FindInvalidReferencesAsync(ownerId, id, validation.Plan, cancellationToken) is { Count: > 0 } invalid)
        {
            return Problems.Invalid(invalid, InvalidGraphTitle);
        }

        var now = writing.Time.GetUtcNow();
        var quotas = writing.QuotasOf(ownerId);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // One statement takes the next version number, so that concurrent saves get distinct versions.
        var updated = await db.Graphs
            .FromSql($"""
                UPDATE graphs SET version = version + 1, name = {validation.Graph.Name}, description = {validation.Graph.Description},
                    error_graph_id = {validation.Graph.Settings?.ErrorGraphId}, updated_at = {now}
                WHERE owner_id = {ownerId} AND id = {id} AND deleted_at IS NULL
                RETURNING *
                """)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        if (updated is not [var graph])
        {
            return TypedResults.NotFound();
        }

        var version = NewVersion(graph, validation.Graph, now);
        db.GraphVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        await db.PinCallsAsync(ownerId, validation.Graph, cancellationToken);
        var removed = await db.RemoveVersionsAsync(ownerId, id, graph.Version - quotas.VersionsPerGraph, cancellationToken);
        if (await db.ChangeUsageAsync(ownerId, new UsageChange(StoredBytes: version.SizeBytes - removed), quotas, cancellationToken) is { } overQuota)
        {
            return QuotaProblems.Kept(overQuota);
        }

        await transaction.CommitAsync(cancellationToken);
        await writing.Versions.AddAsync(version, cancellationToken);

        return TypedResults.Ok(ToDto(graph, version.Definition));
    }

    /// <summary>
    /// Marks the graph deleted and removes its versions but those pinned by other graphs or run by unfinished executions,
    /// so that deleting a graph gives its quota back.
    /// </summary>
    public static async Task<Results<NoContent, NotFound>> DeleteAsync(
        Guid id, ClaimsPrincipal user, GraphExecDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await db.Graphs
            .FromSql($"""
                UPDATE graphs SET deleted_at = {now}
                WHERE owner_id = {ownerId} AND id = {id} AND deleted_at IS NULL
                RETURNING *
                """)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        if (deleted is not [var graph])
        {
            return TypedResults.NotFound();
        }

        var removed = await db.RemoveVersionsAsync(ownerId, id, graph.Version, cancellationToken);
        await db.GiveBackUsageAsync(ownerId, new UsageChange(Graphs: -1, StoredBytes: -removed), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<Page<GraphVersionSummaryDto>>, NotFound, ValidationProblem>> ListVersionsAsync(
        Guid id, ClaimsPrincipal user, GraphExecDbContext db, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (Paging.Check(cursor, limit, out PageRequest<int> page) is { } badPage)
        {
            return badPage;
        }

        var ownerId = user.OwnerId();
        if (!await db.Graphs.Existing(ownerId, id).AnyAsync(cancellationToken))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await db.GraphVersions.AsNoTracking()
            .Where(v => v.OwnerId == ownerId && v.GraphId == id)
            .ToPageAsync(v => v.Version, page, v => new GraphVersionSummaryDto(v.Version, v.CreatedAt), cancellationToken));
    }

    public static async Task<Results<Ok<GraphVersionDto>, NotFound>> GetVersionAsync(
        Guid id, int version, ClaimsPrincipal user, GraphExecDbContext db, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        var row = await db.GraphVersions.AsNoTracking()
            .Where(v => v.OwnerId == ownerId && v.GraphId == id && v.Version == version)
            .Where(v => db.Graphs.Any(g => g.OwnerId == ownerId && g.Id == id && g.DeletedAt == null))
            .SingleOrDefaultAsync(cancellationToken);
        return row is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new GraphVersionDto(row.Version, JsonColumns.Parse(row.Definition), row.CreatedAt));
    }

    private static GraphVersion NewVersion(Graph graph, GraphDefinition definition, DateTimeOffset now)
    {
        var json = GraphJson.Serialize(definition);
        return new GraphVersion
        {
            OwnerId = graph.OwnerId,
            GraphId = graph.Id,
            Version = graph.Version,
            Definition = json,
            SizeBytes = Encoding.UTF8.GetByteCount(json),
            CreatedAt = now,
        };
    }

    private static GraphDto ToDto(Graph graph, string definition) =>
        new(graph.Id, graph.Name, graph.Description, graph.Version, JsonColumns.Parse(definition), graph.CreatedAt, graph.UpdatedAt);
}
