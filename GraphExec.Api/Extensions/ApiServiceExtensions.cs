using GraphExec.ServiceDefaults;

namespace GraphExec.Api.Extensions;

public static class ApiServiceExtensions
{
    public static IHostApplicationBuilder AddApiServices(this IHostApplicationBuilder builder)
    {
        builder.AddGraphExecDatabase();
        builder.AddRedisClient(ConnectionNames.Cache);
        builder.AddMessageBus();
        return builder;
    }
}
