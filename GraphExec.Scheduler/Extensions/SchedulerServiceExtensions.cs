using GraphExec.ServiceDefaults;

namespace GraphExec.Scheduler.Extensions;

public static class SchedulerServiceExtensions
{
    public static IHostApplicationBuilder AddSchedulerServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource(ConnectionNames.Database);
        builder.AddMessageBus();
        return builder;
    }
}
