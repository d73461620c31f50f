using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Engine.Blocks;
using GraphExec.Engine.Blocks.Http;
using GraphExec.Engine.Validation;
using GraphExec.ServiceDefaults;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace GraphExec.Hosting;

public static class CacheExtensions
{
    /// <summary>
    /// Redis on the <c>redis</c> connection string (Aspire's client: health check and tracing), a two-level
    /// <see cref="HybridCache"/> over it (memory in this process, Redis shared by all replicas), and the caches every
    /// service reads graphs through: definitions by version, and compiled plans (with the block catalogue and validator).
    /// </summary>
    public static TBuilder AddGraphExecCache<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddRedisClient(ConnectionNames.Cache);

        builder.Services.AddStackExchangeRedisCache(options => options.InstanceName = builder.Configuration[CacheSettings.KeyPrefix]);
        builder.Services.AddOptions<Microsoft.Extensions.Caching.StackExchangeRedis.RedisCacheOptions>()
            .Configure<IConnectionMultiplexer>((options, redis) => options.ConnectionMultiplexerFactory = () => Task.FromResult(redis));

        builder.Services.AddHybridCache(options =>
        {
            // Graph definitions may be large (up to the validator's document limit); the default 1 MiB would skip them.
            options.MaximumPayloadBytes = 32 * 1024 * 1024;
            options.MaximumKeyLength = 256;
        });
        builder.Services.AddScoped<GraphVersionCache>();

        var http = builder.Configuration.GetSection("Blocks:Http").Get<HttpBlockOptions>() ?? new HttpBlockOptions();
        builder.Services.AddSingleton(BlockCatalog.CreateDefault(http));
        // The same rule for every outgoing request a user names: the http block's and notification endpoints'.
        builder.Services.AddSingleton(new SsrfGuard(http.AllowList));
        builder.Services.AddSingleton(services => new GraphValidator(services.GetRequiredService<BlockCatalog>()));
        builder.Services.AddSingleton(services => new PlanCache(
            services.GetRequiredService<GraphValidator>(),
            builder.Configuration.GetValue(PlanCache.MaxNodesSetting, PlanCache.DefaultMaxNodes)));
        return builder;
    }
}
