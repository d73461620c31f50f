using Npgsql;

namespace GraphExec.Hosting;

internal static class DatabaseFailures
{
    /// <summary>
    /// A database that is down, restarting or slow. EF Core wraps such an error in an <see cref="InvalidOperationException"/>
    /// ("likely due to a transient failure"), e.g. on the first command over a pooled connection after a server restart,
    /// so the whole chain is looked at.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
