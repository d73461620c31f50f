using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Engine;
using GraphExec.Engine.Blocks;
using GraphExec.Engine.Validation;
using GraphExec.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.Core.Tests;

/// <summary>
/// The first deliveries of a new graph version arrive together, and every consumer that misses the plan cache waits for
/// the same definition: they share one compiled plan instead of each validating and compiling the graph.
/// </summary>
public sealed class Compiling_a_plan_once
{
    [Test]
    public async Task Should_give_every_caller_that_misses_a_version_at_once_the_same_plan()
    {
        await using var services = new ServiceCollection().AddHybridCache().Services.BuildServiceProvider();
        // The definition is put in the cache as the Api does on save, so the database is never asked.
        await using var db = new GraphExecDbContext(new DbContextOptionsBuilder<GraphExecDbContext>().UseNpgsql("Host=127.0.0.1;Database=unused").Options);
        var versions = new GraphVersionCache(services.GetRequiredService<HybridCache>(), db);
        var (ownerId, graph) = (Guid.CreateVersion7(), new GraphReference(Guid.CreateVersion7(), 1));
        await versions.AddAsync(new GraphVersion { OwnerId = ownerId, GraphId = graph.GraphId, Version = graph.Version, Definition = SampleGraphs.Greeting }, CancellationToken.None);
        using var plans = new PlanCache(new GraphValidator(BlockCatalog.CreateDefault()), PlanCache.DefaultMaxNodes);
        using var start = new ManualResetEventSlim();

        var callers = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await plans.GetAsync(ownerId, graph, versions, CancellationToken.None);
        })).ToList();
        start.Set();
        var received = await Task.WhenAll(callers);

        Assert.Multiple(() =>
        {
            Assert.That(received, Has.All.Not.Null);
            Assert.That(received.Distinct(ReferenceEqualityComparer.Instance).Count(), Is.EqualTo(1));
        });
    }
}
