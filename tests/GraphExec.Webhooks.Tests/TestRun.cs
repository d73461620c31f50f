using GraphExec.Testing;

namespace GraphExec.Webhooks.Tests;

[SetUpFixture]
public sealed class TestRun : RealServersSetUp
{
    /// <summary>One ingress for the run (each test creates webhooks of its own).</summary>
    public static HooksApp Hooks { get; private set; } = null!;

    protected override string Label => "webhooks";

    [OneTimeSetUp]
    public async Task StartIngressAsync()
    {
        Hooks = new HooksApp();
        await Hooks.MigratedAsync();
    }

    [OneTimeTearDown]
    public async Task StopIngressAsync() => await Hooks.DisposeAsync();
}
