using GraphExec.Cli.Infrastructure;

namespace GraphExec.Cli.Tests;

/// <summary>What one command line answered: its exit code, standard output and standard error.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit code {ExitCode}{Environment.NewLine}out:{Environment.NewLine}{Out}error:{Environment.NewLine}{Error}";
}

/// <summary>Runs the command line in-process through its entry point, with captured output and an environment of its own.</summary>
public static class Cli
{
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, new CliConsole(output, error), new CliEnvironment(name => environment.GetValueOrDefault(name)));
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}

/// <summary>A temporary folder, removed with everything in it when disposed.</summary>
public sealed class TemporaryFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("graphexec-cli-tests-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        var file = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        System.IO.File.WriteAllText(file, text);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
