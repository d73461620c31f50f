using GraphExec.Testing;

namespace GraphExec.AppHost.Tests;

[SetUpFixture]
public sealed class TestRun : RealServersSetUp
{
    protected override string Label => "apphost";
}
