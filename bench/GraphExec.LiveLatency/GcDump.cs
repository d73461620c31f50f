using System.Diagnostics;
using System.Globalization;
using GraphExec.Testing;

namespace GraphExec.LiveLatency;

/// <summary>
/// A heap dump of a process by <c>dotnet-gcdump</c> (a local tool of the repository), and its largest types. Collecting
/// one runs a full blocking collection in that process, so it comes after everything measured.
/// </summary>
public static class GcDump
{
    private const int TypesShown = 25;

    public static async Task CollectAsync(int processId, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.GetFullPath(Path.Combine(directory, $"live-{DateTime.UtcNow:yyyyMMdd-HHmmss}.gcdump"));
        await RunAsync("collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "-o", path);
        var report = await RunAsync("report", path);
        Console.WriteLine($"Heap of Live ({path}), the largest types:");
        foreach (var line in report.Split('\n').Take(TypesShown + 3))
        {
            Console.WriteLine("  " + line.TrimEnd());
        }
    }

    private static async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", ["dotnet-gcdump", .. arguments])
        {
            WorkingDirectory = RepositoryRoot.Find(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var tool = Process.Start(start) ?? throw new InvalidOperationException("dotnet-gcdump did not start.");
        var output = tool.StandardOutput.ReadToEndAsync();
        var error = tool.StandardError.ReadToEndAsync();
        await tool.WaitForExitAsync();
        return tool.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"dotnet-gcdump {arguments[0]} failed: {await error}{await output}");
    }
}
