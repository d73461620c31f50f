using GraphExec.ServiceDefaults;

namespace GraphExec.Scheduler.Extensions;

public static class SchedulerServiceExtensions
{
    public static IHostApplicationBuilder AddSchedulerServices(this IHostApplicationBuilder builder)
    {
        builder.AddGraphExecDatabase();
        builder.AddMessageBus();
        return builder;
    }
}
