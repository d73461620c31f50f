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
    public static async Task MigrateExclusivelyAsync(this GraphExecDbContext db, CancellationToken cancellationToken)
    {
        // Its own unpooled connection: a session lock must not outlive this call on a pooled connection.
        var lockConnection = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false };
        await using var connection = new NpgsqlConnection(lockConnection.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock($1)", cancellationToken);
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock($1)", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = LockKey } } };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
