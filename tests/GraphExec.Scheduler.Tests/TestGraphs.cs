using GraphExec.Testing;

namespace GraphExec.Scheduler.Tests;

public static class TestGraphs
{
    public const string Greeting = SampleGraphs.Greeting;

    /// <summary>A run that takes <paramref name="milliseconds"/>: a delay block between input and output.</summary>
    public static string Slow(int milliseconds) => SampleGraphs.Delay(milliseconds);
}
