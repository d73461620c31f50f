using System.Globalization;
using GraphExec.ScheduleLateness;

// Lateness of scheduled executions (queued_at − fire time) with N active schedules on one Scheduler process.
// Usage: dotnet run -c Release --project bench/GraphExec.ScheduleLateness -- [schedules] [seconds] [every-second|spread-minute]
// Default workload: every schedule fires every second up to 1,000 schedules; above that, each fires once a minute at its
// own second, so 100,000 schedules make about 1,667 fires per second.
var schedules = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000;
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
var workload = args.Length > 2 ? Enum.Parse<Workload>(args[2].Replace("-", "", StringComparison.Ordinal), ignoreCase: true)
    : schedules <= 1_000 ? Workload.EverySecond : Workload.SpreadMinute;
await LatenessRun.RunAsync(schedules, TimeSpan.FromSeconds(seconds), workload);
