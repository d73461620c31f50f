using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;

namespace GraphExec.Core.Data;

/// <summary>What the ingress needs to know about a webhook on every delivery.</summary>
public sealed record WebhookDefinition(
    Guid OwnerId,
    Guid Id,
    Guid GraphId,
    bool Enabled,
    WebhookScheme Scheme,
    string Secret,
    string? PreviousSecret,
    DateTimeOffset? PreviousSecretExpiresAt);

/// <summary>
/// Webhook definitions by id, from memory, else Redis, else PostgreSQL, so that a delivery reads nothing from the
/// database. The Api removes the entry whenever it changes a webhook. An id that does not exist is remembered in this
/// process's memory for a short while only, never in Redis: anyone may send deliveries to random ids, and each would
/// otherwise leave an entry in Redis for an hour.
/// </summary>
public sealed class WebhookCache(HybridCache cache, IMemoryCache misses, GraphExecDbContext db)
{
    /// <summary>How long this process answers "no such webhook" for an id without asking again.</summary>
    public static readonly TimeSpan MissLifetime = TimeSpan.FromSeconds(30);

    private static readonly HybridCacheEntryOptions Entry = new()
    {
        Expiration = TimeSpan.FromHours(1),
        // Short, because another replica's removal reaches this process's memory only when the entry expires.
        LocalCacheExpiration = TimeSpan.FromSeconds(5),
    };

    private static readonly HybridCacheEntryOptions CachedOnly = new() { Flags = HybridCacheEntryFlags.DisableUnderlyingData };

    /// <summary>The webhook, or null when there is no such webhook; asks the database when no cache knows the id.</summary>
    public async ValueTask<WebhookDefinition?> GetAsync(Guid webhookId, CancellationToken cancellationToken)
    {
        if (misses.TryGetValue(MissKey(webhookId), out _))
        {
            return null;
        }

        try
        {
            return await cache.GetOrCreateAsync(
                Key(webhookId),
                (db, webhookId),
                static async (state, token) =>
                    await state.db.Webhooks.AsNoTracking()
                        .Where(w => w.Id == state.webhookId)
                        .Select(w => new WebhookDefinition(
                            w.OwnerId, w.Id, w.GraphId, w.Enabled, w.Scheme, w.Secret, w.PreviousSecret, w.PreviousSecretExpiresAt))
                        .SingleOrDefaultAsync(token)
                    ?? throw new NoSuchWebhookException(),
                Entry,
                cancellationToken: cancellationToken);
        }
        catch (NoSuchWebhookException)
        {
            misses.Set(MissKey(webhookId), true, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = MissLifetime, Size = 1 });
            return null;
        }
    }

    /// <summary>The webhook when memory or Redis holds it; null otherwise, without asking the database.</summary>
    public ValueTask<WebhookDefinition?> GetCachedAsync(Guid webhookId, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync<WebhookDefinition?>(Key(webhookId), static _ => ValueTask.FromResult<WebhookDefinition?>(null), CachedOnly, cancellationToken: cancellationToken);

    public ValueTask RemoveAsync(Guid webhookId, CancellationToken cancellationToken) =>
        cache.RemoveAsync(Key(webhookId), cancellationToken);

    /// <summary>
    /// The entry of a webhook in the caches. Version 2 holds the secrets encrypted; entries of version 1 (plain secrets) are
    /// never read again and expire.
    /// </summary>
    public static string Key(Guid webhookId) => $"webhook:v2:{webhookId:N}";

    private static (string, Guid) MissKey(Guid webhookId) => ("no-such-webhook", webhookId);

    /// <summary>Keeps a miss out of both caches: HybridCache stores what a factory returns, and nothing when it throws.</summary>
    private sealed class NoSuchWebhookException : Exception;
}
