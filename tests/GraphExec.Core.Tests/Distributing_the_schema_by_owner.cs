using GraphExec.Core.Data;
using GraphExec.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace GraphExec.Core.Tests;

/// <summary>
/// The schema stays ready to be distributed by owner on Citus (docs/scaling.md): read from the EF model as the Npgsql
/// provider builds it, so no database is needed and a new table or index is checked the moment it is modelled.
/// </summary>
public sealed class Distributing_the_schema_by_owner
{
    /// <summary>
    /// The deliberate exceptions, each a row of the Citus plan in docs/scaling.md. (<c>__EFMigrationsHistory</c> is not in
    /// the model: it stays on the coordinator, which runs the migrations.)
    /// </summary>
    public static readonly GlobalLookup[] GlobalLookups =
    [
        new("users", "ix_users_normalized_username",
            "Sign-in knows only the name; the user's id (its distribution column) comes from this lookup.", "usernames"),
        new("webhooks", "ix_webhooks_id",
            "The ingress knows only the webhook id from the URL, and finds its owner by it.", "webhook_owners"),
        new("sessions", "ix_sessions_refresh_token_hash",
            "A refresh request carries only the token; its session and user are found by its hash.", "refresh_tokens"),
        new("access_tokens", "ix_access_tokens_token_hash",
            "A request with a personal access token carries only the token; its owner is found by its hash.", "access_token_owners"),
        new("data_protection_keys", null,
            "The key ring every service shares to encrypt secrets: no owner, a few rows, read by every node.", "data_protection_keys"),
    ];

    [Test]
    public void Should_lead_every_key_and_unique_index_with_the_owner_and_keep_foreign_keys_within_one_owner()
    {
        var violations = DistributionRules.Violations(RelationalModelOf<GraphExecDbContext>(), GlobalLookups).ToList();

        Assert.That(violations, Is.Empty, string.Join(Environment.NewLine, violations));
    }

    [Test]
    public void Should_list_only_global_lookups_that_exist_and_need_listing()
    {
        var unneeded = DistributionRules.Unneeded(RelationalModelOf<GraphExecDbContext>(), GlobalLookups).ToList();

        Assert.That(unneeded, Is.Empty, string.Join(Environment.NewLine, unneeded));
    }

    [Test]
    public void Should_find_each_global_lookup_in_the_citus_plan()
    {
        var plan = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "docs", "scaling.md"));

        Assert.Multiple(() =>
        {
            foreach (var lookup in GlobalLookups)
            {
                Assert.That(plan, Does.Contain($"create_reference_table('{lookup.Plan}')"),
                    $"{lookup} ({lookup.Reason}) becomes the reference table {lookup.Plan}: docs/scaling.md must say so");
            }
        });
    }

    [Test]
    public void Should_report_a_key_a_unique_index_and_a_foreign_key_that_would_cross_shards()
    {
        var violations = DistributionRules.Violations(RelationalModelOf<UndistributableContext>(), []).ToList();

        Assert.That(violations, Has.Count.EqualTo(3), string.Join(Environment.NewLine, violations));
        Assert.That(violations, Has.One.StartsWith("The primary key of thing (id) does not lead with owner_id.")
            .And.Contains("GlobalLookups"));
        Assert.That(violations, Has.One.StartsWith("The unique index ix_thing_code of thing (code) does not lead with owner_id."));
        Assert.That(violations, Has.One.StartsWith("The foreign key fk_part_thing_thing_id from part (thing_id) to thing (id)"));
    }

    private static IRelationalModel RelationalModelOf<TContext>() where TContext : DbContext
    {
        var options = new DbContextOptionsBuilder<TContext>().UseGraphExecNpgsql("Host=unused").Options;
        using var context = (TContext)Activator.CreateInstance(typeof(TContext), options)!;
        return context.GetService<IDesignTimeModel>().Model.GetRelationalModel();
    }

    /// <summary>A schema that breaks each rule once, so that the rules are seen to catch what they are for.</summary>
    private sealed class UndistributableContext(DbContextOptions<UndistributableContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Thing>(thing =>
            {
                thing.HasKey(t => t.Id);
                thing.HasIndex(t => t.Code).IsUnique();
            });
            modelBuilder.Entity<Part>(part =>
            {
                part.HasKey(p => new { p.OwnerId, p.Id });
                part.HasOne<Thing>().WithMany().HasForeignKey(p => p.ThingId);
            });
        }
    }

    private sealed class Thing
    {
        public Guid OwnerId { get; set; }

        public Guid Id { get; set; }

        public required string Code { get; set; }
    }

    private sealed class Part
    {
        public Guid OwnerId { get; set; }

        public Guid Id { get; set; }

        public Guid ThingId { get; set; }
    }
}
