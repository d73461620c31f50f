using GraphExec.Contracts;
using GraphExec.Hosting;
using GraphExec.Live.Features.Connections;
using GraphExec.Live.Features.Executions;
using GraphExec.ServiceDefaults;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.IdentityModel.JsonWebTokens;

namespace GraphExec.Live.Extensions;

public static class LiveServiceExtensions
{
    /// <summary>Caps the cached ownership answers; each is a few dozen bytes.</summary>
    private const long OwnershipCacheEntries = 100_000;

    private const string AnyOrigin = "any-origin";

    public static IHostApplicationBuilder AddLiveServices(this IHostApplicationBuilder builder)
    {
        // Sessions' tokens, and the Live tickets the Api gives sessions and personal access tokens for watching.
        builder.AddGraphExecAuthentication(acceptLiveTickets: true);
        // Ownership of an execution is in PostgreSQL from the moment it is queued.
        builder.AddGraphExecDatabase();
        // Redis carries the per-execution event channels and backlogs the Worker writes: the backplane between replicas.
        builder.AddRedisClient(ConnectionNames.Cache);
        // The Api lists ended sessions there too: a signed-out session's token is refused here as soon as in the Api, and
        // its open connections are closed.
        builder.AddSessionRevocations();
        builder.Services.AddSingleton<SessionConnections>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SessionConnections>());
        KeepOnlyTheOwner(builder.Services);

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
        builder.Services.AddSingleton<ExecutionLookup>();

        // Every event reaches its subscribers through LiveFeeds: each replica subscribes to the Redis channels of the
        // executions its own connections watch and sends on its own connections, and nothing is ever sent to a connection
        // of another replica. So SignalR's Redis backplane, which subscribes two channels per connection (about 3.5 KB and
        // two SUBSCRIBEs each) to make such sends possible, would cost every connection and serve none.
        builder.Services.AddSignalR();
        return builder;
    }

    /// <summary>
    /// A connection keeps its user for its whole life, and Live reads only who it is: the principal keeps the subject and
    /// the issuer (see <see cref="AuthenticationExtensions.OwnerId"/>) and the session (see <see cref="SessionConnections"/>)
    /// instead of every claim and the token (about 4 KB).
    /// </summary>
    private static void KeepOnlyTheOwner(IServiceCollection services) =>
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            var validated = options.Events.OnTokenValidated;
            options.Events.OnTokenValidated = async context =>
            {
                await validated(context);
                if (context.Result is null && context.Principal?.Identity is ClaimsIdentity identity)
                {
                    // Copies: a claim refers to its identity, which would keep everything else alive.
                    Claim[] kept =
                    [
                        .. identity.Claims
                            .Where(claim => claim.Type is JwtRegisteredClaimNames.Sub or JwtRegisteredClaimNames.Iss or AuthenticationExtensions.SessionIdClaim)
                            .Select(claim => new Claim(claim.Type, claim.Value, claim.ValueType, claim.Issuer)),
                    ];
                    context.Principal = new ClaimsPrincipal(new ClaimsIdentity(kept, identity.AuthenticationType));
                }
            };
        });

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
