using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;

namespace GraphExec.Core.Data;

/// <summary>
/// Graph definitions by version. Versions never change, so each is read from PostgreSQL at most once per cache
/// lifetime: from memory in this process, else from Redis, else from the database.
/// </summary>
public sealed class GraphVersionCache(HybridCache cache, GraphExecDbContext db)
{
    private static readonly HybridCacheEntryOptions Entry = new()
    {
        Expiration = TimeSpan.FromDays(7),
        LocalCacheExpiration = TimeSpan.FromHours(1),
    };

    /// <returns>The graph JSON, or null when the owner has no such graph version.</returns>
    public async ValueTask<string?> GetDefinitionAsync(Guid ownerId, Guid graphId, int version, CancellationToken cancellationToken)
    {
        try
        {
            return await cache.GetOrCreateAsync(
                Key(ownerId, graphId, version),
                (db, ownerId, graphId, version),
                static async (state, token) =>
                    await state.db.GraphVersions.AsNoTracking()
                        .Where(v => v.OwnerId == state.ownerId && v.GraphId == state.graphId && v.Version == state.version)
                        .Select(v => v.Definition)
                        .SingleOrDefaultAsync(token)
                    // Thrown, not returned: a missing version must not be cached as missing.
                    ?? throw new VersionNotFoundException(),
                Entry,
                cancellationToken: cancellationToken);
        }
        catch (VersionNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Puts a version just saved into the cache, so that its first run does not read it back.</summary>
    public ValueTask AddAsync(GraphVersion version, CancellationToken cancellationToken) =>
        cache.SetAsync(Key(version.OwnerId, version.GraphId, version.Version), version.Definition, Entry, cancellationToken: cancellationToken);

    private static string Key(Guid ownerId, Guid graphId, int version) => $"graph-version:{ownerId:N}:{graphId:N}:{version}";

    private sealed class VersionNotFoundException : Exception;
}
