using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GraphExec.Testing;

namespace GraphExec.LiveLatency;

/// <summary>
/// A process's memory: the working set from <c>/proc</c>, and the GC heap after its last collection as the runtime reports
/// it (through <c>dotnet-counters</c>, the repository's local tool), summed over the generations.
/// </summary>
public sealed record Memory(long WorkingSet, long GcHeap)
{
    public static async Task<Memory> ReadAsync(int processId)
    {
        var gcHeap = await GcHeapAsync(processId);
        var status = await File.ReadAllLinesAsync($"/proc/{processId}/status");
        var rss = status.Single(line => line.StartsWith("VmRSS:", StringComparison.Ordinal));
        var workingSet = long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return new Memory(workingSet, gcHeap);
    }

    private static async Task<long> GcHeapAsync(int processId)
    {
        var output = Path.Combine(Path.GetTempPath(), $"live-bench-counters-{processId}-{Environment.TickCount64}.json");
        var start = new ProcessStartInfo("dotnet",
            ["dotnet-counters", "collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "--counters", "System.Runtime",
             "--format", "json", "-o", output, "--duration", "00:00:00:05"])
        {
            WorkingDirectory = RepositoryRoot.Find(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using (var counters = Process.Start(start) ?? throw new InvalidOperationException("dotnet-counters did not start."))
        {
            await counters.WaitForExitAsync();
        }

        try
        {
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(output));
            // The latest value per generation of "heap size at the last collection".
            var generations = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var sample in document.RootElement.GetProperty("Events").EnumerateArray())
            {
                if (sample.GetProperty("name").GetString()!.StartsWith("dotnet.gc.last_collection.heap.size", StringComparison.Ordinal))
                {
                    generations[sample.GetProperty("tags").GetString() ?? ""] = sample.GetProperty("value").GetDouble();
                }
            }

            return (long)generations.Values.Sum();
        }
        finally
        {
            File.Delete(output);
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"working set {WorkingSet / 1024.0 / 1024.0:0.0} MiB, GC heap {GcHeap / 1024.0 / 1024.0:0.0} MiB");
}
