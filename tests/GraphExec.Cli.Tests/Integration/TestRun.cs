using GraphExec.Testing;

namespace GraphExec.Cli.Tests.Integration;

/// <summary>
/// The services the command line talks to, as processes of their own on the run's servers: the Api, Live and a Worker.
/// Only the tests of this namespace start them; the unit tests around them need no server.
/// </summary>
[SetUpFixture]
public sealed class TestRun : RealServersSetUp
{
    public const string SigningKey = "test-signing-key-of-at-least-thirty-two-characters";

    public static ServiceProcess Api { get; private set; } = null!;

    public static ServiceProcess Live { get; private set; } = null!;

    public static ServiceProcess Worker { get; private set; } = null!;

    protected override string Label => "cli";

    private static Dictionary<string, string> Settings => new(Isolated.ServiceSettings())
    {
        ["Jwt:SigningKey"] = SigningKey,
        // Every test signs up users from the same address.
        ["RateLimiting:AuthPermitsPerMinute"] = "10000",
        // Probes fail while a service starts; their lines would hide the ones that explain a failure.
        ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
    };

    [OneTimeSetUp]
    public async Task StartServicesAsync()
    {
        Worker = await ServiceProcess.StartAsync("GraphExec.Worker", Settings);
        Api = await ServiceProcess.StartAsync("GraphExec.Api", Settings);
        Live = await ServiceProcess.StartAsync("GraphExec.Live", Settings);
    }

    [OneTimeTearDown]
    public void StopServices()
    {
        Live?.Dispose();
        Api?.Dispose();
        Worker?.Dispose();
    }

    /// <summary>What the services wrote lately, for a failing test's message.</summary>
    public static string Output =>
        $"Api:{Environment.NewLine}{Api.Output}{Environment.NewLine}Live:{Environment.NewLine}{Live.Output}"
        + $"{Environment.NewLine}Worker:{Environment.NewLine}{Worker.Output}";
}
