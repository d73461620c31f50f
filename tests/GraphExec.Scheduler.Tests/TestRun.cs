using GraphExec.Testing;

namespace GraphExec.Scheduler.Tests;

[SetUpFixture]
public sealed class TestRun : RealServersSetUp
{
    private static WorkerProcess? s_worker;

    protected override string Label => "scheduler";

    /// <summary>One Worker process for the tests whose scheduled runs must execute, started on first use.</summary>
    public static async Task<WorkerProcess> WorkerAsync() =>
        s_worker ??= await WorkerProcess.StartAsync(new Dictionary<string, string>(
            Isolated.ConnectionStrings.Select(pair => KeyValuePair.Create($"ConnectionStrings:{pair.Key}", pair.Value)))
        {
            ["Cache:KeyPrefix"] = Isolated.CacheKeyPrefix,
        });

    [OneTimeTearDown]
    public void StopWorker() => s_worker?.Dispose();
}
