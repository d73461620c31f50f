using GraphExec.Hosting;
using GraphExec.ServiceDefaults;
using Npgsql;

namespace GraphExec.Api.Tests;

/// <summary>
/// The one test of "the database is away" that the problem handler (503, not 500) and the background migrator (retry,
/// not give up) share: EF Core wraps the error of a broken pooled connection, so the whole chain counts.
/// </summary>
public sealed class Recognising_database_outages
{
    [Test]
    public void Should_recognise_a_database_error_that_ef_core_wrapped()
    {
        var wrapped = new InvalidOperationException(
            "An exception has been raised that is likely due to a transient failure.", new NpgsqlException("terminating connection"));

        Assert.That(DatabaseFailures.IsUnavailable(wrapped), Is.True);
    }

    [Test]
    public void Should_recognise_a_timeout_and_a_bare_database_error()
    {
        Assert.That(DatabaseFailures.IsUnavailable(new TimeoutException()), Is.True);
        Assert.That(DatabaseFailures.IsUnavailable(new NpgsqlException("connection refused")), Is.True);
    }

    [Test]
    public void Should_not_take_a_bug_for_an_outage()
    {
        Assert.That(DatabaseFailures.IsUnavailable(new InvalidOperationException("a bug", new ArgumentException("bad"))), Is.False);
    }
}
