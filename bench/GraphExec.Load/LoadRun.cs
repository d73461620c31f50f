using System.Globalization;

namespace GraphExec.Load;

/// <summary>
/// One bounded load run against the running app on 127.0.0.1: makes the tenants, fires signed webhooks, waits for the
/// executions to end and reads them back through the Api. <paramref name="retryFor"/> is how long a failed delivery is
/// sent again (0 in a plain run, so that errors show; the fault run retries as real senders do).
/// <paramref name="exactly"/> makes the open loop send that many triggers, waiting for request slots rather than
/// leaving any out (the fault run, which must reach its count through the outages).
/// </summary>
public sealed class LoadRun(LoadOptions options, TimeSpan retryFor, int? exactly = null)
{
    /// <param name="during">Runs while the triggers are fired (faults, say), and is cancelled when firing ends.</param>
    public async Task<(LoadReport Report, IReadOnlyCollection<Trigger> Triggers)> RunAsync(
        CancellationToken cancellationToken, Func<CancellationToken, Task>? during = null)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var runId = startedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var tenants = new List<Tenant>();
        try
        {
            for (var i = 0; i < options.Users; i++)
            {
                tenants.Add(await Tenant.CreateAsync(options, runId, i, cancellationToken));
            }

            Console.WriteLine($"{tenants.Count} users, each with the Greeting graph and {options.HooksPerUser} webhooks; firing for {options.Duration.TotalSeconds:0} s "
                + (options.Rate > 0 ? $"at {options.Rate:0} triggers/s" : $"as fast as accepted, {options.Concurrency} in flight")
                + (options.Wait > 0 ? $", each delivery answered when its run ends (up to {options.Wait} s)" : ""));
            Hook[] hooks = [.. tenants.SelectMany(t => t.Hooks)];
            if (options.Warmup > TimeSpan.Zero)
            {
                using var warmup = new Firing(options with { Duration = options.Warmup }, hooks, retryFor);
                await warmup.RunAsync(cancellationToken);
                Console.WriteLine($"warm-up: {warmup.Triggers.Count(t => t.ExecutionId is not null):N0} accepted in {options.Warmup.TotalSeconds:0} s, not counted");
            }

            using var firing = new Firing(options, hooks, retryFor, exactly);
            using var firingOver = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var cpu = ProcessCpu.Start(options.CpuOf);
            var alongside = during?.Invoke(firingOver.Token) ?? Task.CompletedTask;
            var fired = await firing.RunAsync(cancellationToken);
            await firingOver.CancelAsync();
            await alongside;
            var accepted = firing.Triggers.Where(t => t.ExecutionId is not null).ToList();
            Console.WriteLine($"{accepted.Count:N0} of {firing.Triggers.Count:N0} accepted in {fired.TotalSeconds:0.0} s ({firing.NotSent:N0} due while the client was busy); waiting for them to end");

            var ended = await Collection.WaitForEndAsync(tenants, options.Drain, cancellationToken);
            // Before the executions are read back: that is the harness's work, not the executions'.
            var cpuUse = cpu?.Stop();
            var executions = await Collection.ListAsync(tenants, cancellationToken);
            var matched = accepted
                .Select(t => (Trigger: t, Execution: executions.GetValueOrDefault(t.ExecutionId!.Value)))
                .Where(m => m.Execution is not null)
                .Select(m => (m.Trigger, Execution: m.Execution!))
                .OrderBy(m => m.Trigger.Index)
                .ToList();
            await Collection.ReadNodesAsync([.. matched.Select(m => (m.Trigger.Hook.Tenant, m.Execution))], options.DetailSample, cancellationToken);

            var completed = matched.Where(m => m.Execution.IsTerminal).ToList();
            var completionSpan = completed.Count == 0
                ? TimeSpan.Zero
                : completed.Max(m => m.Execution.FinishedAt!.Value) - accepted.Min(t => t.SentAt);
            var report = new LoadReport
            {
                StartedAt = startedAt,
                Label = options.Label + (ended ? "" : " (drain time ran out)"),
                Mode = (options.Rate > 0 ? $"{options.Rate:0}/s open loop" : "closed loop") + (options.Wait > 0 ? $", each delivery waiting up to {options.Wait} s for its run" : ""),
                Users = options.Users,
                Webhooks = options.Users * options.HooksPerUser,
                Concurrency = options.Concurrency,
                FiringSeconds = fired.TotalSeconds,
                Triggers = firing.Triggers.Count,
                Accepted = accepted.Count,
                NotSent = firing.NotSent,
                Errors = firing.Triggers.Where(t => t.Failure is not null).GroupBy(t => t.Failure!).ToDictionary(g => g.Key, g => g.Count()),
                AcceptedPerSecond = accepted.Count / fired.TotalSeconds,
                Completed = completed.Count,
                AnsweredWhenDone = accepted.Count(t => t.AnsweredWhenDone),
                Succeeded = completed.Count(m => m.Execution.Status == "Succeeded"),
                CompletedPerSecond = completionSpan > TimeSpan.Zero ? completed.Count / completionSpan.TotalSeconds : 0,
                Missing = accepted.Count - matched.Count,
                Unfinished = matched.Count - completed.Count,
                TriggerToStarted = Latency.Of(matched.Where(m => m.Execution.StartedAt is not null).Select(m => m.Execution.StartedAt!.Value - m.Trigger.SentAt)),
                TriggerToFirstNode = Latency.Of(matched.Where(m => m.Execution.FirstNodeStartedAt is not null).Select(m => m.Execution.FirstNodeStartedAt!.Value - m.Trigger.SentAt)),
                TriggerToCompleted = Latency.Of(completed.Select(m => m.Execution.FinishedAt!.Value - m.Trigger.SentAt)),
                TriggerToAnsweredWhenDone = Latency.Of(accepted.Where(t => t.AnsweredWhenDone).Select(t => t.AnsweredAt - t.SentAt)),
                Cpu = cpuUse,
            };
            return (report, firing.Triggers);
        }
        finally
        {
            foreach (var tenant in tenants)
            {
                tenant.Api.Dispose();
            }
        }
    }

    /// <summary>Prints the report (and what a fault run found) and writes it where the options say.</summary>
    public static async Task WriteAsync(LoadReport report, LoadOptions options, string? verdictMarkdown = null, string? verdictJson = null)
    {
        var markdown = report.ToMarkdown() + (verdictMarkdown is null ? "" : Environment.NewLine + verdictMarkdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (options.JsonPath is { } json)
        {
            await File.WriteAllTextAsync(json, verdictJson is null ? report.ToJson() : $"{{\"load\": {report.ToJson()},\n\"faults\": {verdictJson}}}");
        }

        if (options.MarkdownPath is { } path)
        {
            await File.AppendAllTextAsync(path, Environment.NewLine + markdown);
        }
    }
}
