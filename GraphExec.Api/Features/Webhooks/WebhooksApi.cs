using System.Security.Claims;
using System.Security.Cryptography;
using GraphExec.Api.Infrastructure;
using GraphExec.Core.Data;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GraphExec.Api.Features.Webhooks;

public static class WebhooksApi
{
    private const string SecretPrefix = "whsec_";
    private const int MaxGracePeriodSeconds = 7 * 24 * 3600;

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder routes)
    {
        var ofGraph = routes.MapGroup("/api/graphs/{graphId:guid}/webhooks").WithTags("Webhooks");
        ofGraph.MapPost("/", CreateAsync).WithName("CreateWebhook")
            .WithSummary("Creates a webhook that runs the graph's newest version; the answer holds its secret in full, once.");
        ofGraph.MapGet("/", ListAsync).WithName("ListWebhooks").WithSummary("Lists the graph's webhooks, newest first, without secrets.");

        var group = routes.MapGroup("/api/webhooks").WithTags("Webhooks");
        group.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateWebhook").WithSummary("Enables or disables a webhook.");
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteWebhook").WithSummary("Deletes a webhook; its URL answers 404 from then on.");
        group.MapPost("/{id:guid}/rotate", RotateAsync).WithName("RotateWebhookSecret")
            .WithSummary("Gives the webhook a new secret; the old one stays valid for the grace period (default 24 h, `gracePeriodSeconds`).");
        group.MapGet("/{id:guid}/deliveries", ListDeliveriesAsync).WithName("ListWebhookDeliveries")
            .WithSummary("Lists the webhook's recent deliveries, newest first: time, status, delivery id, execution id, rejection reason.");
        return routes;
    }

    public static async Task<Results<Created<WebhookDto>, NotFound>> CreateAsync(
        Guid graphId, CreateWebhookRequest? create, ClaimsPrincipal user, GraphExecDbContext db, WebhookCache webhooks,
        IOptions<WebhookOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        if (!await GraphPlans.ExistsAsync(db, ownerId, graphId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var webhook = new Webhook
        {
            OwnerId = ownerId,
            Id = Guid.CreateVersion7(),
            GraphId = graphId,
            Enabled = create?.Enabled ?? true,
            Scheme = create?.Scheme ?? WebhookScheme.Standard,
            Secret = NewSecret(),
            CreatedAt = time.GetUtcNow(),
        };
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync(cancellationToken);
        // The id is new, but a delivery may have probed it already and left "missing" in the cache.
        await webhooks.RemoveAsync(webhook.Id, cancellationToken);

        var dto = ToDto(webhook, options.Value, withSecret: true);
        return TypedResults.Created($"/api/webhooks/{webhook.Id}", dto);
    }

    public static async Task<Results<Ok<Page<WebhookDto>>, NotFound, ValidationProblem>> ListAsync(
        Guid graphId, ClaimsPrincipal user, GraphExecDbContext db, IOptions<WebhookOptions> options, string? cursor, int? limit,
        CancellationToken cancellationToken)
    {
        if (Problems.CheckLimit(limit, out var take) is { } badLimit)
        {
            return badLimit;
        }

        var ownerId = user.OwnerId();
        if (!await GraphPlans.ExistsAsync(db, ownerId, graphId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var query = db.Webhooks.AsNoTracking().Where(w => w.OwnerId == ownerId && w.GraphId == graphId);
        if (Problems.CheckCursor(cursor, out var after) is { } badCursor)
        {
            return badCursor;
        }

        if (after is { } last)
        {
            query = query.Where(w => w.Id.CompareTo(last) < 0);
        }

        var rows = await query.OrderByDescending(w => w.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = rows.Select(w => ToDto(w, options.Value, withSecret: false)).ToList();
        return TypedResults.Ok(Paging.ToPage(items, take, w => w.Id.ToString()));
    }

    public static async Task<Results<Ok<WebhookDto>, NotFound>> UpdateAsync(
        Guid id, UpdateWebhookRequest update, ClaimsPrincipal user, GraphExecDbContext db, WebhookCache webhooks,
        IOptions<WebhookOptions> options, CancellationToken cancellationToken)
    {
        var webhook = await FindAsync(db, user.OwnerId(), id, cancellationToken);
        if (webhook is null)
        {
            return TypedResults.NotFound();
        }

        webhook.Enabled = update.Enabled;
        await db.SaveChangesAsync(cancellationToken);
        await webhooks.RemoveAsync(id, cancellationToken);
        return TypedResults.Ok(ToDto(webhook, options.Value, withSecret: false));
    }

    public static async Task<Results<NoContent, NotFound>> DeleteAsync(
        Guid id, ClaimsPrincipal user, GraphExecDbContext db, WebhookCache webhooks, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        var deleted = await db.Webhooks.Where(w => w.OwnerId == ownerId && w.Id == id).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return TypedResults.NotFound();
        }

        await webhooks.RemoveAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<WebhookDto>, NotFound, ValidationProblem>> RotateAsync(
        Guid id, int? gracePeriodSeconds, ClaimsPrincipal user, GraphExecDbContext db, WebhookCache webhooks,
        IOptions<WebhookOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (gracePeriodSeconds is < 0 or > MaxGracePeriodSeconds)
        {
            return Problems.Invalid("gracePeriodSeconds", $"The grace period must be between 0 and {MaxGracePeriodSeconds} seconds.");
        }

        var webhook = await FindAsync(db, user.OwnerId(), id, cancellationToken);
        if (webhook is null)
        {
            return TypedResults.NotFound();
        }

        var grace = gracePeriodSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : options.Value.RotationGracePeriod;
        webhook.PreviousSecret = webhook.Secret;
        webhook.PreviousSecretExpiresAt = time.GetUtcNow() + grace;
        webhook.Secret = NewSecret();
        await db.SaveChangesAsync(cancellationToken);
        await webhooks.RemoveAsync(id, cancellationToken);
        return TypedResults.Ok(ToDto(webhook, options.Value, withSecret: true));
    }

    public static async Task<Results<Ok<Page<WebhookDeliveryDto>>, NotFound, ValidationProblem>> ListDeliveriesAsync(
        Guid id, ClaimsPrincipal user, GraphExecDbContext db, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (Problems.CheckLimit(limit, out var take) is { } badLimit)
        {
            return badLimit;
        }

        var ownerId = user.OwnerId();
        if (!await db.Webhooks.AnyAsync(w => w.OwnerId == ownerId && w.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.OwnerId == ownerId && d.WebhookId == id);
        if (cursor is not null)
        {
            if (!Paging.TryDecode(cursor, out Guid after))
            {
                return Problems.Invalid("cursor", "The cursor is not one this API gave out.");
            }

            query = query.Where(d => d.Id.CompareTo(after) < 0);
        }

        var rows = await query
            .OrderByDescending(d => d.Id)
            .Take(take + 1)
            .Select(d => new WebhookDeliveryDto(d.Id, d.ReceivedAt, d.StatusCode, d.DeliveryId, d.ExecutionId, d.Rejection))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(Paging.ToPage(rows, take, d => d.Id.ToString()));
    }

    /// <summary>32 random bytes, as Standard Webhooks suggests for HMAC-SHA256 keys.</summary>
    private static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static Task<Webhook?> FindAsync(GraphExecDbContext db, Guid ownerId, Guid id, CancellationToken cancellationToken) =>
        db.Webhooks.SingleOrDefaultAsync(w => w.OwnerId == ownerId && w.Id == id, cancellationToken);

    private static WebhookDto ToDto(Webhook webhook, WebhookOptions options, bool withSecret) =>
        new(webhook.Id, webhook.GraphId, $"{options.PublicBaseUrl.TrimEnd('/')}/hooks/{webhook.Id}", withSecret ? webhook.Secret : null,
            webhook.Enabled, webhook.Scheme, webhook.CreatedAt,
            webhook.PreviousSecretExpiresAt);
}
