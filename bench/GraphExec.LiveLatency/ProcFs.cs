using System.Globalization;

namespace GraphExec.LiveLatency;

/// <summary>What <c>/proc</c> tells of a process: its open-files limit, its CPU time; and the machine's load average.</summary>
public static class ProcFs
{
    /// <summary>The soft and hard <c>RLIMIT_NOFILE</c> (.NET raises its soft limit to the hard one as it starts).</summary>
    public static (long Soft, long Hard) OpenFilesLimit(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/limits").Single(line => line.StartsWith("Max open files", StringComparison.Ordinal));
        var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (Parse(fields[0]), Parse(fields[1]));

        static long Parse(string limit) => limit == "unlimited" ? long.MaxValue : long.Parse(limit, CultureInfo.InvariantCulture);
    }

    /// <summary>User and system time, from the clock ticks of <c>/proc/{pid}/stat</c> (100 per second on Linux).</summary>
    public static TimeSpan CpuTime(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        // After the command name in parentheses: state is field 3, utime 14 and stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>The 1, 5 and 15 minute load averages, as <c>uptime</c> prints them.</summary>
    public static string LoadAverage() => string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
