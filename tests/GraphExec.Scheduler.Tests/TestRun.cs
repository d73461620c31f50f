using GraphExec.Testing;

namespace GraphExec.Scheduler.Tests;

[SetUpFixture]
public sealed class TestRun : RealServersSetUp
{
    private static ServiceProcess? s_worker;

    protected override string Label => "scheduler";

    /// <summary>One Worker process for the tests whose scheduled runs must execute, started on first use.</summary>
    public static async Task<ServiceProcess> WorkerAsync() =>
        s_worker ??= await ServiceProcess.StartAsync("GraphExec.Worker", Isolated.ServiceSettings());

    [OneTimeTearDown]
    public void StopWorker() => s_worker?.Dispose();
}
