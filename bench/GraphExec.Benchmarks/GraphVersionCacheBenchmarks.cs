using System.Text.Json;
using BenchmarkDotNet.Attributes;
using GraphExec.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.Benchmarks;

/// <summary>
/// The three ways a graph definition is read: from this process' memory (the hit path), from Redis (another replica
/// cached it), and from PostgreSQL (the first read ever). Needs the local servers: <c>./eng/servers.sh up</c>.
/// </summary>
[MemoryDiagnoser]
public class GraphVersionCacheBenchmarks
{
    private readonly Guid _owner = Guid.CreateVersion7();
    private readonly Guid _graph = Guid.CreateVersion7();
    private ServiceProvider _services = null!;
    private AsyncServiceScope _scope;
    private GraphVersionCache _cache = null!;
    private IDistributedCache _redis = null!;
    private GraphExecDbContext _db = null!;
    private string _redisKey = null!;

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        var (database, redis) = LocalServers();
        var services = new ServiceCollection();
        services.AddDbContext<GraphExecDbContext>(options => options.UseGraphExecNpgsql(database));
        services.AddStackExchangeRedisCache(options => { options.Configuration = redis; options.InstanceName = "bench:"; });
        services.AddHybridCache();
        services.AddScoped<GraphVersionCache>();
        _services = services.BuildServiceProvider();
        _scope = _services.CreateAsyncScope();
        _db = _scope.ServiceProvider.GetRequiredService<GraphExecDbContext>();
        _cache = _scope.ServiceProvider.GetRequiredService<GraphVersionCache>();
        _redis = _scope.ServiceProvider.GetRequiredService<IDistributedCache>();

        await _db.MigrateExclusivelyAsync(CancellationToken.None);
        var version = new GraphVersion { OwnerId = _owner, GraphId = _graph, Version = 1, Definition = RealisticBenchmarks.Graph, CreatedAt = DateTimeOffset.UtcNow };
        _db.GraphVersions.Add(version);
        await _db.SaveChangesAsync();
        await _cache.AddAsync(version, CancellationToken.None);
        // The key GraphVersionCache uses; the distributed cache adds its instance name.
        _redisKey = $"graph-version:{_owner:N}:{_graph:N}:1";
    }

    [GlobalCleanup]
    public async Task CleanUpAsync()
    {
        await _db.GraphVersions.Where(v => v.OwnerId == _owner).ExecuteDeleteAsync();
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "memory hit (GraphVersionCache)")]
    public async Task<string?> MemoryHit() => await _cache.GetDefinitionAsync(_owner, _graph, 1, CancellationToken.None);

    [Benchmark(Description = "Redis read (what a replica without it in memory does)")]
    public async Task<byte[]?> RedisRead() => await _redis.GetAsync(_redisKey);

    [Benchmark(Description = "PostgreSQL read (the first read of a version)")]
    public async Task<string> DatabaseRead() =>
        await _db.GraphVersions.AsNoTracking()
            .Where(v => v.OwnerId == _owner && v.GraphId == _graph && v.Version == 1)
            .Select(v => v.Definition)
            .SingleAsync();

    private static (string Database, string Redis) LocalServers()
    {
        var fromEnvironment = (Environment.GetEnvironmentVariable("ConnectionStrings__graphexec"), Environment.GetEnvironmentVariable("ConnectionStrings__redis"));
        if (fromEnvironment is ({ } database, { } redis))
        {
            return (database, redis);
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var file = Path.Combine(directory.FullName, ".servers", "connection-strings.json");
            if (File.Exists(file))
            {
                using var json = JsonDocument.Parse(File.ReadAllText(file));
                var strings = json.RootElement.GetProperty("ConnectionStrings");
                return (strings.GetProperty("graphexec").GetString()!, strings.GetProperty("redis").GetString()!);
            }
        }

        throw new InvalidOperationException("No local servers: run ./eng/servers.sh up (or set ConnectionStrings__graphexec and __redis).");
    }
}
