using GraphExec.Testing;

namespace GraphExec.Web.Tests;

[SetUpFixture]
public sealed class TestRun : RealServersSetUp
{
    protected override string Label => "web";
}
