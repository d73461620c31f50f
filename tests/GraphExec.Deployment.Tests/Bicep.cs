using System.Diagnostics;
using System.Reflection;

namespace GraphExec.Deployment.Tests;

/// <summary>The Bicep CLI from the NuGet package this project downloads (see the project file).</summary>
public static class Bicep
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string Path { get; } = typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "BicepPath").Value!;

    public static async Task<BicepRun> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Path} did not start.");
        using var timeout = new CancellationTokenSource(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new BicepRun(process.ExitCode, await output, await errors);
    }
}

public sealed record BicepRun(int ExitCode, string Output, string Errors);
