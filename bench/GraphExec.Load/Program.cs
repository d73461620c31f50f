using GraphExec.Load;

// Load harness: signed webhooks at the running app on 127.0.0.1, for a bounded time; see docs/performance.md.
//   dotnet run -c Release --project bench/GraphExec.Load -- [--rate N|max] [--duration S] [--users N] [--concurrency N]
//     [--api http://127.0.0.1:5001] [--hooks http://127.0.0.1:5002] [--drain S] [--detail-sample N]
//     [--json out.json] [--markdown docs/performance.md] [--label text]
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception exception) when (exception is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; interrupted.Cancel(); };
var (report, _) = await new LoadRun(options, retryFor: TimeSpan.Zero).RunAsync(interrupted.Token);
await LoadRun.WriteAsync(report, options);
return report.Missing == 0 && report.Unfinished == 0 ? 0 : 1;
