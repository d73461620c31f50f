using GraphExec.Engine;
using GraphExec.Core.Notifications;
using GraphExec.Engine.Schedules;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Core.Data;

/// <summary>
/// Every table a user owns carries <c>owner_id</c>, and its key and indexes lead with it, so that the schema can be
/// distributed by <c>owner_id</c> (docs/scaling.md). Names are snake_case.
/// </summary>
public sealed class GraphExecDbContext(DbContextOptions<GraphExecDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>The partial index of enabled schedules by their next fire time.</summary>
    public const string DueSchedulesIndex = "ix_schedules_due";

    private const string Jsonb = "jsonb";

    public DbSet<User> Users => Set<User>();

    public DbSet<Graph> Graphs => Set<Graph>();

    public DbSet<GraphVersion> GraphVersions => Set<GraphVersion>();

    public DbSet<Execution> Executions => Set<Execution>();

    public DbSet<NodeExecution> NodeExecutions => Set<NodeExecution>();

    public DbSet<ExecutionTrigger> ExecutionTriggers => Set<ExecutionTrigger>();

    public DbSet<OwnerSlots> OwnerSlots => Set<OwnerSlots>();

    public DbSet<OwnerUsage> OwnerUsage => Set<OwnerUsage>();

    public DbSet<Webhook> Webhooks => Set<Webhook>();

    public DbSet<NotificationEndpoint> NotificationEndpoints => Set<NotificationEndpoint>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<Schedule> Schedules => Set<Schedule>();

    public DbSet<Credential> Credentials => Set<Credential>();

    /// <summary>The Data Protection key ring the services share, each key encrypted with the configured key.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Session> Sessions => Set<Session>();

    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(user =>
        {
            user.HasKey(u => u.Id);
            user.Property(u => u.Username).HasMaxLength(64);
            user.Property(u => u.NormalizedUsername).HasMaxLength(64);
            user.HasIndex(u => u.NormalizedUsername).IsUnique();

            // Retention finds the few users whose retention differs from the default through it, without a scan.
            user.HasIndex(u => u.RetentionDays);
        });

        modelBuilder.Entity<Graph>(graph =>
        {
            graph.HasKey(g => new { g.OwnerId, g.Id });
            graph.Property(g => g.Name).HasMaxLength(200);
            graph.Property(g => g.Description).HasMaxLength(2000);
        });

        modelBuilder.Entity<GraphVersion>(version =>
        {
            version.HasKey(v => new { v.OwnerId, v.GraphId, v.Version });
            version.Property(v => v.Definition).HasColumnType(Jsonb);
        });

        modelBuilder.Entity<Execution>(execution =>
        {
            execution.HasKey(e => new { e.OwnerId, e.Id });
            execution.Property(e => e.Status).HasConversion<short>();
            execution.Property(e => e.FinishedStatus).HasConversion<short?>().HasComputedColumnSql(ExecutionSql.FinishedStatus, stored: true);
            execution.Property(e => e.Inputs).HasColumnType(Jsonb);
            execution.Property(e => e.Outputs).HasColumnType(Jsonb);
            execution.Property(e => e.Error).HasColumnType(Jsonb);
            execution.Property(e => e.TriggerRef).HasMaxLength(300);
            execution.Property(e => e.LeaseOwner).HasMaxLength(200);

            // Listing a user's executions, newest first (ids are time-ordered UUIDv7), by graph, by status, by trigger, or by
            // graph and status (the UI's and the load harness' "is anything of this graph still running?"): each list page is
            // a range scan of one of these, however many executions there are. The other combinations with a trigger filter
            // the rows of the graph's or the status' index: an index each would cost every insert and status change more
            // than those rare lists save (docs/performance.md). The status is indexed as the finished status, null for
            // Queued and Running alike, so that no index key changes when a claim starts a run (a HOT update); a list of
            // the Queued or the Running ones filters the unfinished ones, at most the owner's queue and running cap.
            execution.HasIndex(e => new { e.OwnerId, e.GraphId, e.Id });
            execution.HasIndex(e => new { e.OwnerId, e.FinishedStatus, e.Id });
            execution.HasIndex(e => new { e.OwnerId, e.Trigger, e.Id });
            execution.HasIndex(e => new { e.OwnerId, e.GraphId, e.FinishedStatus, e.Id });

            // No unique index on the trigger ref: the table is partitioned by id (docs/scaling.md), so uniqueness would
            // hold per partition only; execution_triggers keeps it.

            // The wake-up of an owner's oldest parked execution at every finish, while the finish holds the owner's slot
            // counter: without this it scanned every Queued and Running row of the owner (all of a backlog).
            execution.HasIndex(e => new { e.OwnerId, e.Id }, "ix_executions_parked")
                .HasDatabaseName("ix_executions_parked")
                .HasFilter("parked_at IS NOT NULL");

            // The executions with values in object storage (few): retention deletes their blobs with them.
            execution.HasIndex(e => new { e.OwnerId, e.Id }, "ix_executions_has_blobs")
                .HasDatabaseName("ix_executions_has_blobs")
                .HasFilter("has_blobs");

            // The pinned executions (few): dropping a day's partition keeps them, found without a scan of the partition.
            execution.HasIndex(e => new { e.OwnerId, e.Id }, "ix_executions_pinned")
                .HasDatabaseName("ix_executions_pinned")
                .HasFilter("pinned");

            // The sweeper's scan of ended runs whose notification is still to send (few): the outbox of ExecutionCompleted.
            execution.HasIndex(e => e.FinishedAt, "ix_executions_notify")
                .HasDatabaseName("ix_executions_notify")
                .HasFilter("notify");

            // The sweeper's scan: only unfinished executions, so the index stays small however many have finished.
            execution.HasIndex(e => e.QueuedAt, "ix_executions_unfinished")
                .HasDatabaseName("ix_executions_unfinished")
                .HasFilter(ExecutionSql.Unfinished());
        });

        modelBuilder.Entity<NodeExecution>(node =>
        {
            node.HasKey(n => new { n.OwnerId, n.ExecutionId, n.NodeId });
            node.Property(n => n.NodeId).HasMaxLength(64);
            node.Property(n => n.Status).HasConversion<short>();
            node.Property(n => n.Inputs).HasColumnType(Jsonb);
            node.Property(n => n.Outputs).HasColumnType(Jsonb);
            node.Property(n => n.Error).HasColumnType(Jsonb);
        });

        modelBuilder.Entity<ExecutionTrigger>(trigger =>
        {
            // One trigger event (a webhook delivery, a schedule's fire time) starts at most one execution.
            trigger.HasKey(t => new { t.OwnerId, t.Trigger, t.TriggerRef });
            trigger.Property(t => t.TriggerRef).HasMaxLength(300);

            // The retention job trims rows past the dedupe window in batches, oldest first.
            trigger.HasIndex(t => t.CreatedAt);
        });

        modelBuilder.Entity<OwnerSlots>(slots => slots.HasKey(s => s.OwnerId));
        modelBuilder.Entity<OwnerUsage>(usage => usage.HasKey(u => u.OwnerId));

        modelBuilder.Entity<Webhook>(webhook =>
        {
            webhook.HasKey(w => new { w.OwnerId, w.Id });
            // Encrypted with Data Protection: longer than the secrets themselves.
            webhook.Property(w => w.Secret).HasMaxLength(1000);
            webhook.Property(w => w.PreviousSecret).HasMaxLength(1000);
            webhook.Property(w => w.Scheme).HasConversion<short>();
            webhook.HasIndex(w => new { w.OwnerId, w.GraphId, w.Id });

            // The ingress knows only the id from the URL. On a distributed schema this index becomes a small reference
            // table (webhook id -> owner id) replicated to every node; see docs/scaling.md.
            webhook.HasIndex(w => w.Id).IsUnique();
        });

        modelBuilder.Entity<NotificationEndpoint>(endpoint =>
        {
            endpoint.HasKey(n => new { n.OwnerId, n.Id });
            endpoint.Property(n => n.Url).HasMaxLength(NotificationUrls.MaxLength);
            // Encrypted with Data Protection: longer than the secret itself.
            endpoint.Property(n => n.Secret).HasMaxLength(1000);
            endpoint.Property(n => n.Events).HasConversion(
                events => events.Select(e => (short)e).ToArray(),
                stored => stored.Select(e => (ExecutionStatus)e).ToArray(),
                new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<ExecutionStatus[]>(
                    (a, b) => a!.SequenceEqual(b!), events => events.Aggregate(0, (hash, e) => HashCode.Combine(hash, e)), events => events.ToArray()));
            // The statement ending a failed run looks for the graph's endpoints; the Api lists them.
            endpoint.HasIndex(n => new { n.OwnerId, n.GraphId, n.Id });
        });

        modelBuilder.Entity<WebhookDelivery>(delivery =>
        {
            delivery.HasKey(d => new { d.OwnerId, d.WebhookId, d.Id });
            delivery.Property(d => d.DeliveryId).HasMaxLength(300);
            delivery.Property(d => d.Rejection).HasMaxLength(500);
        });

        modelBuilder.Entity<Credential>(credential =>
        {
            credential.HasKey(c => new { c.OwnerId, c.Id });
            credential.Property(c => c.Name).HasMaxLength(Engine.Graphs.Names.MaxLength);
            credential.Property(c => c.Kind).HasConversion<short>();
            credential.HasIndex(c => new { c.OwnerId, c.Name }).IsUnique();
        });

        modelBuilder.Entity<Schedule>(schedule =>
        {
            schedule.HasKey(s => new { s.OwnerId, s.Id });
            schedule.Property(s => s.Cron).HasMaxLength(CronSchedule.MaxCronLength);
            schedule.Property(s => s.TimeZone).HasMaxLength(CronSchedule.MaxTimeZoneLength);
            schedule.Property(s => s.Inputs).HasColumnType(Jsonb);
            schedule.Property(s => s.Overlap).HasConversion<short>();
            schedule.Property(s => s.Misfire).HasConversion<short>();
            schedule.HasIndex(s => new { s.OwnerId, s.GraphId, s.Id });

            // The dispatcher's scan: only enabled schedules, by the time they are due. Like the sweeper's index it spans
            // owners; on a distributed schema each shard answers it for its own rows (docs/scaling.md).
            schedule.HasIndex(s => s.NextFireAt)
                .HasDatabaseName(DueSchedulesIndex)
                .HasFilter("enabled AND next_fire_at IS NOT NULL");
        });

        modelBuilder.Entity<Session>(session =>
        {
            session.HasKey(s => new { s.UserId, s.Id });

            // A refresh request carries only the token, so it is found by its hash alone, now or (for reuse detection) as
            // the one before. Like the webhook id index, these become a lookup table on a distributed schema.
            session.HasIndex(s => s.RefreshTokenHash).IsUnique();
            session.HasIndex(s => s.PreviousRefreshTokenHash).HasFilter("previous_refresh_token_hash IS NOT NULL");
        });

        modelBuilder.Entity<AccessToken>(token =>
        {
            token.HasKey(t => new { t.OwnerId, t.Id });
            token.Property(t => t.Name).HasMaxLength(AccessToken.MaxNameLength);

            // A request carries only the token: it is found by its hash (a lookup table on a distributed schema, like the
            // webhook id index).
            token.HasIndex(t => t.TokenHash).IsUnique();
        });
    }
}
