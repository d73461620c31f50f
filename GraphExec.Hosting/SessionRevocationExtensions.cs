using GraphExec.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GraphExec.Hosting;

public static class SessionRevocationExtensions
{
    /// <summary>
    /// Refuses the access tokens of ended sessions in this service (see <see cref="SessionRevocations"/>); the service must
    /// have registered Redis (<c>AddRedisClient</c> or <see cref="CacheExtensions.AddGraphExecCache"/>).
    /// </summary>
    public static TBuilder AddSessionRevocations<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton<SessionRevocations>();
        builder.Services.AddSingleton<IRevokedSessions>(services => services.GetRequiredService<SessionRevocations>());
        return builder;
    }
}
