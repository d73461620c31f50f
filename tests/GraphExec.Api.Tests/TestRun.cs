using GraphExec.Testing;

namespace GraphExec.Api.Tests;

[SetUpFixture]
public sealed class TestRun : RealServersSetUp
{
    protected override string Label => "api";
}
