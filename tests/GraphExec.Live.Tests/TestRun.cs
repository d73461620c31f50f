using GraphExec.Testing;

namespace GraphExec.Live.Tests;

/// <summary>
/// The services as processes of their own on the run's servers: the Api, two Live replicas on two ports (no sticky
/// sessions: nothing ties a client to either), and a Worker started when a test first needs runs to execute.
/// </summary>
[SetUpFixture]
public sealed class TestRun : RealServersSetUp
{
    public const string SigningKey = "test-signing-key-of-at-least-thirty-two-characters";

    private static readonly OnDemandService s_worker = new("GraphExec.Worker", () => Settings);

    public static ServiceProcess Api { get; private set; } = null!;

    public static ServiceProcess LiveA { get; private set; } = null!;

    public static ServiceProcess LiveB { get; private set; } = null!;

    protected override string Label => "live";

    private static Dictionary<string, string> Settings => new(Isolated.ServiceSettings())
    {
        ["Jwt:SigningKey"] = SigningKey,
        // Every test signs up users from the same address.
        ["RateLimiting:AuthPermitsPerMinute"] = "10000",
        // A client that reads nothing is closed after this long (30 s by default), so that its test ends soon.
        ["Live:SlowClientTimeout"] = "00:00:03",
        // Probes fail while a service starts; their lines would hide the ones that explain a failure.
        ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
    };

    [OneTimeSetUp]
    public async Task StartServicesAsync()
    {
        // A Worker that starts once declares the queues, so that runs queued before the next one starts wait for it there.
        (await ServiceProcess.StartAsync("GraphExec.Worker", Settings)).Dispose();
        Api = await ServiceProcess.StartAsync("GraphExec.Api", Settings);
        LiveA = await ServiceProcess.StartAsync("GraphExec.Live", Settings);
        LiveB = await ServiceProcess.StartAsync("GraphExec.Live", Settings);
    }

    [OneTimeTearDown]
    public void StopServices()
    {
        s_worker.Dispose();
        LiveB?.Dispose();
        LiveA?.Dispose();
        Api?.Dispose();
    }

    /// <summary>Starts the Worker unless it runs: executions queued until then start now.</summary>
    public static Task StartWorkerAsync() => s_worker.StartAsync();

    /// <summary>What the services wrote lately, for a failing test's message.</summary>
    public static string Output =>
        $"Live A:{Environment.NewLine}{LiveA.Output}{Environment.NewLine}Live B:{Environment.NewLine}{LiveB.Output}"
        + $"{Environment.NewLine}Worker:{Environment.NewLine}{s_worker.Output}";
}
