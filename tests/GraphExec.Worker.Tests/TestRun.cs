using GraphExec.Testing;
using GraphExec.Worker.Tests.Support;

namespace GraphExec.Worker.Tests;

/// <summary>The servers, and one Worker hosted in this process for every test (each test makes its own user).</summary>
[SetUpFixture]
public sealed class TestRun : RealServersSetUp
{
    protected override string Label => "worker";

    [OneTimeSetUp]
    public Task StartWorkerAsync() => WorkerHost.StartAsync(Isolated);

    [OneTimeTearDown]
    public Task StopWorkerAsync() => WorkerHost.StopAsync();
}
