using GraphExec.ServiceDefaults;

namespace GraphExec.Live.Extensions;

public static class LiveServiceExtensions
{
    public static IHostApplicationBuilder AddLiveServices(this IHostApplicationBuilder builder)
    {
        // Redis carries the SignalR backplane and the per-execution event backlog.
        builder.AddRedisClient(ConnectionNames.Cache);
        return builder;
    }
}
