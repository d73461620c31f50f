using MassTransit;
using Npgsql;

namespace GraphExec.Worker.Features.Executions;

/// <summary>The faults worth retrying: the database or the broker away for a moment. Anything else is a defect, not retried.</summary>
public static class InfrastructureFaults
{
    public static void Retry(IRetryConfigurator retry)
    {
        retry.Handle<NpgsqlException>(exception => exception.IsTransient);
        retry.Handle<TimeoutException>();
        retry.Handle<ConnectionException>();
        retry.Exponential(6, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(500));
    }
}
