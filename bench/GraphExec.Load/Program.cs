using GraphExec.Load;

using GraphExec.Load.Faults;

// Load harness: signed webhooks at the running app on 127.0.0.1, for a bounded time; see docs/performance.md.
//   dotnet run -c Release --project bench/GraphExec.Load -- [--rate N|max] [--duration S] [--warmup S] [--users N] [--hooks-per-user N] [--concurrency N]
//     [--api http://127.0.0.1:5001] [--hooks http://127.0.0.1:5002] [--drain S] [--detail-sample N]
//     [--cpu-of PID,…|file.pid,…] [--json out.json] [--markdown docs/performance.md] [--label text]
// Fault mode (bench/fault.sh runs it on servers of its own): fault [--triggers 5000] [--rate 100] [--workers 3] [--kill-every 5] ...
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; interrupted.Cancel(); };
try
{
    if (args is ["fault", .. var faultArgs])
    {
        var options = FaultOptions.Parse(faultArgs);
        var (report, verdict) = await new FaultRun(options).RunAsync(interrupted.Token);
        await LoadRun.WriteAsync(report, options.Load, verdict.ToMarkdown(), verdict.ToJson());
        return verdict.Clean ? 0 : 1;
    }
    else
    {
        var options = LoadOptions.Parse(args);
        var (report, _) = await new LoadRun(options, retryFor: TimeSpan.Zero).RunAsync(interrupted.Token);
        await LoadRun.WriteAsync(report, options);
        return report.Missing == 0 && report.Unfinished == 0 ? 0 : 1;
    }
}
catch (Exception exception) when (exception is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}
catch (InvalidOperationException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 1;
}
