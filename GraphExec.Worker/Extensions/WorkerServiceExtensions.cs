using GraphExec.ServiceDefaults;

namespace GraphExec.Worker.Extensions;

public static class WorkerServiceExtensions
{
    public static IHostApplicationBuilder AddWorkerServices(this IHostApplicationBuilder builder)
    {
        builder.AddGraphExecDatabase();
        // Redis carries live events to the SignalR backplane and cancellation signals between workers.
        builder.AddGraphExecCache();
        builder.AddMessageBus();
        return builder;
    }
}
