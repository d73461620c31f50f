using GraphExec.ServiceDefaults;

namespace GraphExec.Api.Extensions;

public static class ApiServiceExtensions
{
    public static IHostApplicationBuilder AddApiServices(this IHostApplicationBuilder builder)
    {
        builder.AddGraphExecDatabase();
        builder.AddGraphExecCache();
        builder.AddMessageBus();
        return builder;
    }
}
