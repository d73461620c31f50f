using System.Net;
using GraphExec.Testing;
using Npgsql;

namespace GraphExec.Api.Tests;

/// <summary>
/// When PostgreSQL restarts, every pooled connection breaks and the first command on each fails: the client gets a 503
/// with <c>Retry-After</c> (never a 500), and the next request works again.
/// </summary>
public sealed class Losing_database_connections
{
    [Test]
    public async Task Should_answer_503_with_retry_after_and_then_recover()
    {
        using var client = await TestRun.Api.NewUserAsync();
        Assert.That((await client.GetAsync("/api/graphs")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // What a server restart does to the Api's open connections: 57P01, terminating connection due to administrator command.
        await TerminateConnectionsAsync();
        using var during = await client.GetAsync("/api/graphs");
        using var after = await client.GetAsync("/api/graphs");

        Assert.That(during.StatusCode, Is.AnyOf(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), await during.Content.ReadAsStringAsync());
        if (during.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            Assert.That(during.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(during.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }

        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), await after.Content.ReadAsStringAsync());
    }

    private static async Task TerminateConnectionsAsync()
    {
        var database = RealServersSetUp.Isolated.Connections.Database;
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid()", connection);
        command.Parameters.AddWithValue("name", new NpgsqlConnectionStringBuilder(database).Database!);
        Assert.That(await command.ExecuteScalarAsync(), Is.GreaterThan(0L), "no connection of the Api to terminate");
    }
}
