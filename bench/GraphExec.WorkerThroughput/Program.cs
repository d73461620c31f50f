using GraphExec.WorkerThroughput;

// Executions per second of one Worker process on the Greeting graph, fed from a pre-filled queue.
// Usage: dotnet run -c Release --project bench/GraphExec.WorkerThroughput -- [executions] [users]
var executions = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2_000;
var users = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100;
await ThroughputRun.RunAsync(executions, users);
