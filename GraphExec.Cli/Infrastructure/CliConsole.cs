namespace GraphExec.Cli.Infrastructure;

/// <summary>Where a command writes: results to <see cref="Out"/>, errors and progress notes to <see cref="Error"/>.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error)
{
    public static CliConsole Standard { get; } = new(Console.Out, Console.Error);
}
