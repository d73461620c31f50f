using GraphExec.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Core.Quotas;

/// <summary>What a change adds to an owner's <see cref="OwnerUsage"/>; negative amounts give back.</summary>
public readonly record struct UsageChange(int Graphs = 0, int Webhooks = 0, int Schedules = 0, long StoredBytes = 0, int Credentials = 0);

/// <summary>The one writer of <see cref="OwnerUsage"/> rows, and the check of the counted quotas against them.</summary>
public static class Usage
{
    /// <summary>
    /// Adds <paramref name="change"/> to the owner's row in the caller's transaction, which must also hold the change it
    /// counts. The row stays locked to the end of that transaction, so one owner's changes queue on it and a quota holds
    /// exactly across replicas. Answers the first quota that an increase took past its value: the caller then rolls back,
    /// so nothing changes. A decrease is never refused, even for an owner whose quota was lowered below what it keeps.
    /// </summary>
    public static async Task<QuotaExceeded?> ChangeUsageAsync(
        this GraphExecDbContext db, Guid ownerId, UsageChange change, UserQuotas quotas, CancellationToken cancellationToken)
    {
        var usage = await ApplyAsync(db, ownerId, change, cancellationToken);
        return change switch
        {
            { Graphs: > 0 } when usage.Graphs > quotas.Graphs => QuotaExceeded.Count(QuotaNames.Graphs, quotas.Graphs, "graphs"),
            { Webhooks: > 0 } when usage.Webhooks > quotas.Webhooks => QuotaExceeded.Count(QuotaNames.Webhooks, quotas.Webhooks, "webhooks"),
            { Schedules: > 0 } when usage.Schedules > quotas.Schedules => QuotaExceeded.Count(QuotaNames.Schedules, quotas.Schedules, "schedules"),
            { Credentials: > 0 } when usage.Credentials > quotas.Credentials =>
                QuotaExceeded.Count(QuotaNames.Credentials, quotas.Credentials, "credentials"),
            { StoredBytes: > 0 } when usage.StoredBytes > quotas.StoredBytes =>
                QuotaExceeded.Count(QuotaNames.StoredBytes, quotas.StoredBytes, "bytes of stored graph versions"),
            _ => null,
        };
    }

    /// <summary>Takes <paramref name="change"/>, a decrease, off the owner's row in the caller's transaction; never refused.</summary>
    public static Task GiveBackUsageAsync(this GraphExecDbContext db, Guid ownerId, UsageChange change, CancellationToken cancellationToken) =>
        ApplyAsync(db, ownerId, change, cancellationToken);

    private static async Task<OwnerUsage> ApplyAsync(GraphExecDbContext db, Guid ownerId, UsageChange change, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A usage change belongs in the transaction of the change it counts.");
        }

        var rows = await db.OwnerUsage
            .FromSql($"""
                INSERT INTO owner_usage AS u (owner_id, graphs, webhooks, schedules, stored_bytes, credentials)
                VALUES ({ownerId}, {change.Graphs}, {change.Webhooks}, {change.Schedules}, {change.StoredBytes}, {change.Credentials})
                ON CONFLICT (owner_id) DO UPDATE SET
                    graphs = u.graphs + excluded.graphs,
                    webhooks = u.webhooks + excluded.webhooks,
                    schedules = u.schedules + excluded.schedules,
                    stored_bytes = u.stored_bytes + excluded.stored_bytes,
                    credentials = u.credentials + excluded.credentials
                RETURNING *
                """)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return rows.Single();
    }
}
