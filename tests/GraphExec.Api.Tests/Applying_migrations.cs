using GraphExec.Core.Data;
using GraphExec.Testing;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Api.Tests;

/// <summary>Every replica of every service migrates at start, so migrating must be repeatable and safe at once.</summary>
public sealed class Applying_migrations
{
    private IsolatedServers _empty = null!;

    [SetUp]
    public async Task CreateEmptyDatabaseAsync() => _empty = await RealServersSetUp.Servers.IsolateAsync("migrations");

    [TearDown]
    public async Task DropAsync() => await _empty.DisposeAsync();

    [Test]
    public async Task Should_apply_from_empty_twice_without_error()
    {
        await MigrateAsync();
        await MigrateAsync();

        await AssertFullyMigratedAsync();
    }

    [Test]
    public async Task Should_apply_once_when_several_replicas_migrate_at_the_same_time()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => MigrateAsync()));

        await AssertFullyMigratedAsync();
    }

    private async Task MigrateAsync()
    {
        await using var context = NewContext();
        await context.MigrateExclusivelyAsync(CancellationToken.None);
    }

    private async Task AssertFullyMigratedAsync()
    {
        await using var context = NewContext();
        Assert.That(await context.Database.GetPendingMigrationsAsync(), Is.Empty);
        Assert.That(await context.Database.GetAppliedMigrationsAsync(), Is.EquivalentTo(context.Database.GetMigrations()));
        Assert.That(await context.Executions.CountAsync(), Is.Zero, "the executions table exists and is empty");
    }

    private GraphExecDbContext NewContext()
    {
        var options = new DbContextOptionsBuilder<GraphExecDbContext>();
        options.UseGraphExecNpgsql(_empty.Connections.Database);
        return new GraphExecDbContext(options.Options);
    }
}
