using GraphExec.Testing;

namespace GraphExec.Scheduler.Tests;

[SetUpFixture]
public sealed class TestRun : RealServersSetUp
{
    /// <summary>One Worker process for the tests whose scheduled runs must execute.</summary>
    private static readonly OnDemandService s_worker = new("GraphExec.Worker", () => Isolated.ServiceSettings());

    protected override string Label => "scheduler";

    public static Task<ServiceProcess> WorkerAsync() => s_worker.StartAsync();

    [OneTimeTearDown]
    public void StopWorker() => s_worker.Dispose();
}
