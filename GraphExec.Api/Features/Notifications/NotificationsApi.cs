using System.Security.Claims;
using GraphExec.Api.Infrastructure;
using GraphExec.Core.Data;
using GraphExec.Core.Graphs;
using GraphExec.Core.Notifications;
using GraphExec.Core.Quotas;
using GraphExec.Engine;
using GraphExec.Engine.Blocks.Http;
using GraphExec.Engine.Validation;
using GraphExec.Hosting;
using GraphExec.Hosting.Secrets;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GraphExec.Api.Features.Notifications;

/// <summary>
/// A graph's notification endpoints: URLs told, with a delivery signed per Standard Webhooks, when one of its runs ends
/// Failed, TimedOut or Cancelled (as each endpoint asks). Managed like webhooks, under the same scope.
/// </summary>
public static class NotificationsApi
{
    private const string InvalidTitle = "The notification endpoint is not valid.";

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder routes)
    {
        var ofGraph = routes.MapGroup("/api/graphs/{graphId:guid}/notifications").WithTags("Notifications");
        ofGraph.MapPost("/", CreateAsync).WithName("CreateNotification")
            .WithSummary("Adds a URL told of the graph's failed runs; the answer holds its signing secret in full, once.");
        ofGraph.MapGet("/", ListAsync).WithName("ListNotifications").WithSummary("Lists the graph's notification endpoints, newest first, without secrets.");

        routes.MapGroup("/api/notifications").WithTags("Notifications")
            .MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteNotification").WithSummary("Deletes a notification endpoint.");
        return routes;
    }

    public static async Task<Results<Created<NotificationDto>, NotFound, ValidationProblem, ProblemHttpResult>> CreateAsync(
        Guid graphId, CreateNotificationRequest? create, ClaimsPrincipal user, GraphExecDbContext db, SsrfGuard guard,
        SecretProtection protection, IOptions<QuotaOptions> quotas, TimeProvider time, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        if (!await db.Graphs.Existing(ownerId, graphId).AnyAsync(cancellationToken))
        {
            return TypedResults.NotFound();
        }

        if (Check(create, guard, out var events) is { Count: > 0 } errors)
        {
            return Problems.Invalid(errors, InvalidTitle);
        }

        var quota = quotas.Value.For(ownerId).NotificationsPerGraph;
        if (await db.NotificationEndpoints.CountAsync(n => n.OwnerId == ownerId && n.GraphId == graphId, cancellationToken) >= quota)
        {
            return QuotaProblems.Kept(QuotaExceeded.Count(QuotaNames.NotificationsPerGraph, quota, "notification endpoints on this graph"));
        }

        var endpoint = new NotificationEndpoint
        {
            OwnerId = ownerId,
            Id = Guid.CreateVersion7(),
            GraphId = graphId,
            Url = create!.Url!,
            Events = events,
            Secret = "",
            Enabled = create.Enabled ?? true,
            CreatedAt = time.GetUtcNow(),
        };
        var secret = WebhookSigning.NewSecret();
        endpoint.Secret = protection.ProtectNotificationSecret(endpoint.Id, secret);
        db.NotificationEndpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/notifications/{endpoint.Id}", ToDto(endpoint, secret));
    }

    public static async Task<Results<Ok<Page<NotificationDto>>, NotFound, ValidationProblem>> ListAsync(
        Guid graphId, ClaimsPrincipal user, GraphExecDbContext db, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (Paging.Check(cursor, limit, out PageRequest<Guid> page) is { } badPage)
        {
            return badPage;
        }

        var ownerId = user.OwnerId();
        if (!await db.Graphs.Existing(ownerId, graphId).AnyAsync(cancellationToken))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await db.NotificationEndpoints.AsNoTracking()
            .Where(n => n.OwnerId == ownerId && n.GraphId == graphId)
            .ToPageAsync(n => n.Id, page, n => ToDto(n, null), cancellationToken));
    }

    public static async Task<Results<NoContent, NotFound>> DeleteAsync(
        Guid id, ClaimsPrincipal user, GraphExecDbContext db, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        return await db.NotificationEndpoints.Where(n => n.OwnerId == ownerId && n.Id == id).ExecuteDeleteAsync(cancellationToken) == 0
            ? TypedResults.NotFound()
            : TypedResults.NoContent();
    }

    /// <summary>Every problem of the request, each at its JSON pointer; the events asked for (or the default) otherwise.</summary>
    private static List<ValidationError> Check(CreateNotificationRequest? create, SsrfGuard guard, out ExecutionStatus[] events)
    {
        var errors = new List<ValidationError>();
        if (NotificationUrls.Problem(create?.Url, guard) is { } urlProblem)
        {
            errors.Add(new ValidationError("/url", ValidationCodes.InvalidValue, urlProblem));
        }

        events = NotificationEvents.Default;
        if (create?.Events is { } names)
        {
            var statuses = new List<ExecutionStatus>();
            foreach (var (name, index) in names.Select((name, index) => (name, index)))
            {
                if (NotificationEvents.TryParse(name, out var status))
                {
                    statuses.Add(status);
                }
                else
                {
                    errors.Add(new ValidationError($"/events/{index}", ValidationCodes.InvalidValue,
                        $"'{name}' is not an event; use {NotificationEvents.Names}."));
                }
            }

            if (names.Count == 0)
            {
                errors.Add(new ValidationError("/events", ValidationCodes.InvalidValue, $"Name at least one event of {NotificationEvents.Names}, or leave it out."));
            }

            events = [.. statuses.Distinct()];
        }

        return errors;
    }

    /// <param name="secret">The secret in plain text, only right after it was made: it is stored encrypted.</param>
    private static NotificationDto ToDto(NotificationEndpoint endpoint, string? secret) =>
        new(endpoint.Id, endpoint.GraphId, endpoint.Url, [.. endpoint.Events.Select(NotificationEvents.NameOf)], secret, endpoint.Enabled, endpoint.CreatedAt);
}
