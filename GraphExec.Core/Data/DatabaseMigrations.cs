using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GraphExec.Core.Data;

public static class DatabaseMigrations
{
    /// <summary>Any fixed number, the same in every process: the key of the advisory lock below.</summary>
    private const long LockKey = 0x4772617068457865;

    /// <summary>
    /// Applies pending migrations while holding a PostgreSQL advisory lock, so that any number of processes may call
    /// this at once: one migrates, the others wait and then find nothing to do. EF Core's own migration lock covers one
    /// migration's transaction at a time, which is not enough when several migrations are pending.
    /// </summary>
    /// <param name="andThen">Runs under the same lock once the schema is current: what must be done once, by one process.</param>
    public static async Task MigrateExclusivelyAsync(
        this GraphExecDbContext db, CancellationToken cancellationToken, Func<Task>? andThen = null)
    {
        // The lock is taken on the connection the migrations run on, and released on it before it goes back to its
        // pool: a session lock must not outlive this call. A connection that breaks meanwhile loses the lock with it.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await ExecuteAsync(connection, "SELECT pg_advisory_lock($1)", cancellationToken);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
                if (andThen is not null)
                {
                    await andThen();
                }
            }
            finally
            {
                await ExecuteAsync(connection, "SELECT pg_advisory_unlock($1)", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = LockKey } } };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
