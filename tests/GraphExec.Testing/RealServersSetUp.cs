using NUnit.Framework;

namespace GraphExec.Testing;

/// <summary>
/// Base of each test project's <c>[SetUpFixture]</c>: starts (or finds) the real servers once per test run and gives
/// the run its own database, virtual host, key prefix and blob container on them.
/// </summary>
public abstract class RealServersSetUp
{
    private static TestServers? s_servers;
    private static IsolatedServers? s_isolated;

    /// <summary>The servers themselves, for tests that need a second isolated slice.</summary>
    public static TestServers Servers =>
        s_servers ?? throw new InvalidOperationException("The servers are not started: add a [SetUpFixture] deriving from RealServersSetUp.");

    /// <summary>The run's own slice of the servers.</summary>
    public static IsolatedServers Isolated =>
        s_isolated ?? throw new InvalidOperationException("The servers are not started: add a [SetUpFixture] deriving from RealServersSetUp.");

    /// <summary>A short name for the run's database and virtual host, e.g. the test project's area.</summary>
    protected abstract string Label { get; }

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        s_servers = await TestServers.StartAsync();
        s_isolated = await s_servers.IsolateAsync(Label);
        await TestContext.Progress.WriteLineAsync($"Real servers: {s_servers.Source}; isolated as '{s_isolated.Name}'.");
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        if (s_isolated is not null)
        {
            await s_isolated.DisposeAsync();
        }

        if (s_servers is not null)
        {
            await s_servers.DisposeAsync();
        }
    }
}
