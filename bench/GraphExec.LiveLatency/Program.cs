using System.Globalization;
using GraphExec.LiveLatency;

// Live delivery latency (node completed → client received) and the memory of one Live instance holding many subscribed
// connections, on loopback, against the services started as processes on a database, vhost and key prefix of their own.
// Usage: dotnet run -c Release --project bench/GraphExec.LiveLatency -- [runs] [connections]
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var connections = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
await LiveBench.RunAsync(runs, connections);
