using System.Security.Claims;
using GraphExec.Api.Infrastructure;
using GraphExec.Core.Data;
using GraphExec.Core.Graphs;
using GraphExec.Core.Quotas;
using GraphExec.Hosting;
using GraphExec.Hosting.Secrets;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GraphExec.Api.Features.Webhooks;

public static class WebhooksApi
{
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

    public static async Task<Results<Created<WebhookDto>, NotFound, ProblemHttpResult>> CreateAsync(
        Guid graphId, CreateWebhookRequest? create, ClaimsPrincipal user, GraphExecDbContext db, WebhookCache webhooks,
        SecretProtection protection, IOptions<WebhookOptions> options, IOptions<QuotaOptions> quotas, TimeProvider time, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        if (!await db.Graphs.Existing(ownerId, graphId).AnyAsync(cancellationToken))
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
            Secret = "",
            CreatedAt = time.GetUtcNow(),
        };
        var secret = WebhookSigning.NewSecret();
        webhook.Secret = protection.ProtectWebhookSecret(webhook.Id, secret);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.ChangeUsageAsync(ownerId, new UsageChange(Webhooks: 1), quotas.Value.For(ownerId), cancellationToken) is { } overQuota)
        {
            return QuotaProblems.Kept(overQuota);
        }

        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // The id is new, but a delivery may have probed it already and left "missing" in the cache.
        await webhooks.RemoveAsync(webhook.Id, cancellationToken);

        var dto = ToDto(webhook, options.Value, secret);
        return TypedResults.Created($"/api/webhooks/{webhook.Id}", dto);
    }

    public static async Task<Results<Ok<Page<WebhookDto>>, NotFound, ValidationProblem>> ListAsync(
        Guid graphId, ClaimsPrincipal user, GraphExecDbContext db, IOptions<WebhookOptions> options, string? cursor, int? limit,
        CancellationToken cancellationToken)
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

        var settings = options.Value;
        return TypedResults.Ok(await db.Webhooks.AsNoTracking()
            .Where(w => w.OwnerId == ownerId && w.GraphId == graphId)
            .ToPageAsync(w => w.Id, page, w => ToDto(w, settings, secret: null), cancellationToken));
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
        return TypedResults.Ok(ToDto(webhook, options.Value, secret: null));
    }

    public static async Task<Results<NoContent, NotFound>> DeleteAsync(
        Guid id, ClaimsPrincipal user, GraphExecDbContext db, WebhookCache webhooks, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await db.Webhooks.Where(w => w.OwnerId == ownerId && w.Id == id).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return TypedResults.NotFound();
        }

        await db.GiveBackUsageAsync(ownerId, new UsageChange(Webhooks: -deleted), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        await webhooks.RemoveAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<WebhookDto>, NotFound, ValidationProblem>> RotateAsync(
        Guid id, int? gracePeriodSeconds, ClaimsPrincipal user, GraphExecDbContext db, WebhookCache webhooks,
        SecretProtection protection, IOptions<WebhookOptions> options, TimeProvider time, CancellationToken cancellationToken)
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
        var secret = WebhookSigning.NewSecret();
        webhook.Secret = protection.ProtectWebhookSecret(webhook.Id, secret);
        await db.SaveChangesAsync(cancellationToken);
        await webhooks.RemoveAsync(id, cancellationToken);
        return TypedResults.Ok(ToDto(webhook, options.Value, secret));
    }

    public static async Task<Results<Ok<Page<WebhookDeliveryDto>>, NotFound, ValidationProblem>> ListDeliveriesAsync(
        Guid id, ClaimsPrincipal user, GraphExecDbContext db, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (Paging.Check(cursor, limit, out PageRequest<Guid> page) is { } badPage)
        {
            return badPage;
        }

        var ownerId = user.OwnerId();
        if (!await db.Webhooks.AnyAsync(w => w.OwnerId == ownerId && w.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.OwnerId == ownerId && d.WebhookId == id)
            .ToPageAsync(
                d => d.Id, page, d => new WebhookDeliveryDto(d.Id, d.ReceivedAt, d.StatusCode, d.DeliveryId, d.ExecutionId, d.Rejection),
                cancellationToken));
    }

    private static Task<Webhook?> FindAsync(GraphExecDbContext db, Guid ownerId, Guid id, CancellationToken cancellationToken) =>
        db.Webhooks.SingleOrDefaultAsync(w => w.OwnerId == ownerId && w.Id == id, cancellationToken);

    /// <param name="secret">The secret in plain text, only right after it was made (creation, rotation): it is stored encrypted.</param>
    private static WebhookDto ToDto(Webhook webhook, WebhookOptions options, string? secret) =>
        new(webhook.Id, webhook.GraphId, $"{options.PublicBaseUrl.TrimEnd('/')}/hooks/{webhook.Id}", secret,
            webhook.Enabled, webhook.Scheme, webhook.CreatedAt,
            webhook.PreviousSecretExpiresAt);
}
