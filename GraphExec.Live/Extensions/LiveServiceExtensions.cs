using GraphExec.Contracts;
using GraphExec.Hosting;
using GraphExec.Live.Features.Connections;
using GraphExec.Live.Features.Executions;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using StackExchange.Redis;

namespace GraphExec.Live.Extensions;

public static class LiveServiceExtensions
{
    /// <summary>Caps the cached ownership answers; each is a few dozen bytes.</summary>
    private const long OwnershipCacheEntries = 100_000;

    private const string AnyOrigin = "any-origin";

    public static IHostApplicationBuilder AddLiveServices(this IHostApplicationBuilder builder)
    {
        builder.AddGraphExecAuthentication();
        // Ownership of an execution is in PostgreSQL from the moment it is queued.
        builder.AddGraphExecDatabase();
        // Redis carries the SignalR backplane, and the per-execution event channels and backlogs the Worker writes.
        builder.AddRedisClient(ConnectionNames.Cache);

        // Browsers on any site may watch their user's runs: the hub authenticates by bearer token alone (header or query), never by
        // cookie, so a cross-origin page gains nothing that its token does not already give it. The official JavaScript client
        // sends its requests with credentials by default, hence the origin is echoed rather than "*".
        builder.Services.AddCors(cors => cors.AddPolicy(AnyOrigin, policy => policy
            .SetIsOriginAllowed(_ => true).AllowCredentials().AllowAnyHeader().WithMethods(HttpMethods.Get, HttpMethods.Post)));
        builder.Services.AddMemoryCache(options => options.SizeLimit = OwnershipCacheEntries);
        builder.Services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Backlog>();
        builder.Services.AddSingleton<LiveFeeds>();
        builder.Services.AddSingleton<LiveMetrics>();
        builder.Services.AddScoped<ExecutionLookup>();

        // The backplane lets any replica reach any connection (hub context sends to a user or a connection elsewhere);
        // events reach subscribers through LiveFeeds, which also keeps each connection's stream gap-free.
        builder.Services.AddSignalR().AddStackExchangeRedis();
        var keyPrefix = builder.Configuration[CacheSettings.KeyPrefix];
        builder.Services.AddOptions<RedisOptions>().Configure<IConnectionMultiplexer>((options, redis) =>
        {
            options.Configuration.ChannelPrefix = RedisChannel.Literal($"{keyPrefix}signalr");
            options.ConnectionFactory = _ => Task.FromResult(redis);
        });
        return builder;
    }

    public static WebApplication MapLive(this WebApplication app)
    {
        app.WaitForDatabaseSchema(ExecutionsHubContract.Path);
        // CORS first, so that a browser's preflight (which carries no token) is answered rather than refused with 401.
        app.UseRouting();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        // WebSockets only, so that a client may negotiate with one replica and connect to another (see AnyReplicaNegotiation);
        // plain WebSocket clients may skip the negotiate request.
        app.MapHub<ExecutionsHub>(ExecutionsHubContract.Path, options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                // A connection lives no longer than its token; the client reconnects with a fresh one and resumes.
                options.CloseOnAuthenticationExpiration = true;
            })
            .WithAnyReplicaNegotiation()
            .RequireCors(AnyOrigin);
        return app;
    }
}
