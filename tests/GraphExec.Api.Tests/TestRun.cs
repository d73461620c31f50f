using GraphExec.Testing;

namespace GraphExec.Api.Tests;

[SetUpFixture]
public sealed class TestRun : RealServersSetUp
{
    /// <summary>One Api for the whole run (each test signs up users of its own).</summary>
    public static ApiApp Api { get; private set; } = null!;

    protected override string Label => "api";

    [OneTimeSetUp]
    public void StartApi() => Api = new ApiApp();

    [OneTimeTearDown]
    public async Task StopApiAsync() => await Api.DisposeAsync();
}
