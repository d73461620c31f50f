using Npgsql;

namespace GraphExec.Scheduler.Features.Retention;

/// <summary>
/// Lets one Scheduler replica at a time run a maintenance job: a PostgreSQL session advisory lock, held on a connection
/// of its own for the job's duration. Unlike a Hangfire distributed lock, it ends with its connection, so a replica that
/// dies mid-job never blocks the next occurrence.
/// </summary>
public sealed class JobLock(NpgsqlDataSource dataSource)
{
    /// <summary>Runs <paramref name="job"/> if no other replica runs the job named <paramref name="key"/>.</summary>
    /// <returns>False when another replica holds it (this occurrence then does nothing).</returns>
    public async Task<bool> TryRunAsync(string key, Func<Task> job, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", connection))
        {
            take.Parameters.Add(new NpgsqlParameter { Value = key });
            if (await take.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return false;
            }
        }

        try
        {
            await job();
            return true;
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended($1, 0))", connection);
            release.Parameters.Add(new NpgsqlParameter { Value = key });
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
