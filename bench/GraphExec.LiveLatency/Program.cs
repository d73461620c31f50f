using System.Globalization;
using System.Net;
using GraphExec.LiveLatency;

// Live delivery latency (node completed → client received) with many subscribed connections held, and the memory of one
// Live instance holding them, on loopback, against the services started as processes on a database, vhost and key prefix
// of their own.
// Usage: dotnet run -c Release --project bench/GraphExec.LiveLatency -- [runs] [connections] [--parallel N]
//        [--live NAME=VALUE]... [--gcdump DIRECTORY]
//   runs: live runs timed, 5 events each (default 250); connections: subscribed connections held (default 10,000);
//   --parallel: connections opened at once (default 64); --live: a setting or environment variable for Live only, e.g.
//   DOTNET_gcServer=0 (repeatable); --gcdump: a heap dump of Live at the end, and its largest types.
if (args is [ClientProcess.Argument, var hub, var source, var parallelism])
{
    await ClientProcess.RunAsync(new Uri(hub), IPAddress.Parse(source), int.Parse(parallelism, CultureInfo.InvariantCulture));
    return;
}

var positional = new List<int>();
var live = new Dictionary<string, string>(StringComparer.Ordinal);
var parallel = 64;
string? gcdump = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--parallel":
            parallel = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--live":
            var (name, value) = args[++i].Split('=', 2) is [var n, var v] ? (n, v) : throw new ArgumentException($"--live {args[i]}: NAME=VALUE expected.");
            live[name] = value;
            break;
        case "--gcdump":
            gcdump = args[++i];
            break;
        default:
            positional.Add(int.Parse(args[i], CultureInfo.InvariantCulture));
            break;
    }
}

await LiveBench.RunAsync(new LiveBenchOptions(
    Runs: positional.Count > 0 ? positional[0] : 250,
    Connections: positional.Count > 1 ? positional[1] : 10_000,
    Parallelism: parallel,
    LiveSettings: live,
    GcDumpDirectory: gcdump));
