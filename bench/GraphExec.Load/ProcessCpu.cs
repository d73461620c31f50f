using System.Globalization;

namespace GraphExec.Load;

/// <summary>
/// CPU time per process during a measured window, read from <c>/proc</c>: every process given (a PID, or a pid file such
/// as the ones <c>eng/servers.sh</c> writes) and all of its descendants, grouped by role (Webhooks, Worker, PostgreSQL,
/// RabbitMQ, the dashboard, …), plus this client itself and the whole machine. A process that ends during the window is
/// counted through its parent's reaped-children time, less what it had used before; one that starts during it counts whole.
/// </summary>
public sealed class ProcessCpu
{
    /// <summary>Linux reports process times in clock ticks of 1/100 s on every architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    private const string MonitorOption = "--monitor ";

    private readonly IReadOnlyList<string> _roots;
    private readonly Dictionary<int, Sample> _start;
    private readonly long _machineStart;

    private ProcessCpu(IReadOnlyList<string> roots)
    {
        _roots = roots;
        _start = Snapshot(roots);
        _machineStart = MachineBusyTicks();
    }

    /// <summary>Starts measuring; null where <c>/proc</c> is missing (not Linux).</summary>
    public static ProcessCpu? Start(IReadOnlyList<string> roots) => Directory.Exists("/proc/self") ? new ProcessCpu(roots) : null;

    /// <summary>CPU seconds per role since <see cref="Start"/>, the largest first, and the whole machine's busy seconds.</summary>
    public CpuUse Stop()
    {
        var end = Snapshot(_roots);
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (pid, now) in end)
        {
            // The same PID with a later start time is a new process, counted whole.
            var used = now.Ticks + now.ReapedTicks;
            if (_start.GetValueOrDefault(pid) is { } before && before.StartTicks == now.StartTicks)
            {
                used -= before.Ticks + before.ReapedTicks;
            }

            seconds[now.Role] = seconds.GetValueOrDefault(now.Role) + used / TicksPerSecond;
        }

        // A process that ended during the window reaches its parent's reaped-children time with its whole life: take
        // back what it had used before the window (PostgreSQL's backends come and go with the services' pools).
        foreach (var (pid, before) in _start)
        {
            if (!end.ContainsKey(pid) && end.TryGetValue(before.ParentPid, out var parent))
            {
                seconds[parent.Role] = seconds.GetValueOrDefault(parent.Role) - (before.Ticks + before.ReapedTicks) / TicksPerSecond;
            }
        }

        return new CpuUse(
            seconds.OrderByDescending(s => s.Value).Select(s => new RoleCpu(s.Key, s.Value)).ToList(),
            (MachineBusyTicks() - _machineStart) / TicksPerSecond);
    }

    private static Dictionary<int, Sample> Snapshot(IReadOnlyList<string> roots)
    {
        var all = new Dictionary<int, Sample>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && Read(pid) is { } sample)
            {
                all[pid] = sample;
            }
        }

        var wanted = new HashSet<int> { Environment.ProcessId };
        foreach (var root in roots)
        {
            if (Pid(root) is { } pid)
            {
                wanted.Add(pid);
            }
        }

        // Descendants: repeat until no process joins (a child may be listed before its parent). Aspire's orchestrator
        // (dcp) detaches from the AppHost that starts it and names it with --monitor instead: it counts as a child.
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (pid, sample) in all)
            {
                grew |= (wanted.Contains(sample.ParentPid) || sample.MonitoredPid is { } monitored && wanted.Contains(monitored)) && wanted.Add(pid);
            }
        }

        return all.Where(p => wanted.Contains(p.Key)).ToDictionary();
    }

    private static int? Pid(string root)
    {
        var text = root.EndsWith(".pid", StringComparison.Ordinal)
            ? (File.Exists(root) ? File.ReadLines(root).FirstOrDefault() : null)
            : root;
        return int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    private static Sample? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may hold spaces: the fields start after the last ')'.
            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
            var command = stat[(stat.IndexOf('(') + 1)..close];
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            return new Sample(
                (int)Field(4),
                Field(14) + Field(15),
                Field(16) + Field(17),
                Field(22),
                Monitored(commandLine),
                pid == Environment.ProcessId ? "load client" : Role(command, commandLine));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null; // ended while being read, or not ours to read
        }
    }

    private static string Role(string command, string commandLine)
    {
        if (commandLine.Contains("Aspire.Dashboard", StringComparison.Ordinal))
        {
            return "Aspire dashboard";
        }

        var service = commandLine.IndexOf("GraphExec.", StringComparison.Ordinal);
        if (service >= 0)
        {
            var name = new string(commandLine[(service + "GraphExec.".Length)..].TakeWhile(char.IsLetter).ToArray());
            return name.Length > 0 ? name : command;
        }

        return command switch
        {
            "postgres" => "PostgreSQL",
            "beam.smp" or "erl_child_setup" or "epmd" or "inet_gethost" => "RabbitMQ",
            "redis-server" => "Redis",
            "dcp" or "dcpctrl" or "dcpproc" => "Aspire orchestrator (dcp)",
            _ => command,
        };
    }

    private static long MachineBusyTicks()
    {
        // cpu  user nice system idle iowait irq softirq steal …: busy is all but idle and iowait.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new[] { 1, 2, 3, 6, 7, 8 }.Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
    }

    private static int? Monitored(string commandLine)
    {
        var at = commandLine.IndexOf(MonitorOption, StringComparison.Ordinal);
        return at < 0 ? null
            : int.TryParse(commandLine.AsSpan(at + MonitorOption.Length).TrimStart().ToString().Split(' ')[0], CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    private sealed record Sample(int ParentPid, long Ticks, long ReapedTicks, long StartTicks, int? MonitoredPid, string Role);
}

/// <summary>CPU seconds of one role (all its processes) in the measured window.</summary>
public sealed record RoleCpu(string Role, double Seconds);

/// <summary>CPU seconds per role in the measured window, and the whole machine's busy seconds (other users' work too).</summary>
public sealed record CpuUse(IReadOnlyList<RoleCpu> Roles, double MachineSeconds);
