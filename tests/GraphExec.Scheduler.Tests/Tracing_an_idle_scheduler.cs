using System.Diagnostics;
using GraphExec.Scheduler.Features.Blobs;
using GraphExec.Scheduler.Features.Dispatching;
using GraphExec.Scheduler.Features.Sweeping;
using GraphExec.ServiceDefaults;
using GraphExec.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace GraphExec.Scheduler.Tests;

/// <summary>
/// A Scheduler polls all the time: its dispatcher several times a second, its sweeper every few seconds, Hangfire its
/// storage every second, the orphan blob collector its storage every quarter of an hour. Polling that finds nothing must start no trace, or the traces list is a wall of database calls in
/// which no run can be found; a cycle that found work is exported with what it did. Every trace is sampled here (ratio 1),
/// so that only the rule for background work keeps idle polls out.
/// </summary>
public sealed class Tracing_an_idle_scheduler
{
    private static readonly TimeSpan Observed = TimeSpan.FromSeconds(10);

    private IsolatedServers _empty = null!;

    /// <summary>A database of its own: no other test's schedule or stalled execution can give this Scheduler work.</summary>
    [OneTimeSetUp]
    public async Task IsolateAsync() => _empty = await RealServersSetUp.Servers.IsolateAsync("idle_traces");

    [OneTimeTearDown]
    public async Task DisposeAsync() => await _empty.DisposeAsync();

    [Test]
    public async Task Should_export_no_root_span_in_ten_seconds_with_nothing_due()
    {
        var spans = new ExportedSpans();
        using var polls = new PollCounter();
        var settings = Settings(_empty.ServiceSettings());
        // A sweep every 2 s, so that several fall in the window.
        settings["Sweeper:Cron"] = "*/2 * * * * *";
        await using var scheduler = await new SchedulerApp(settings, Exporting(spans)).StartAsync();
        // Starting is not idle: the migrations and Hangfire's schema are written once, by whichever replica starts first.
        await Poll.UntilAsync(() => polls.Count(ExecutionSweeper.SpanName) > 0, "the first sweep");
        spans.Clear();
        var before = (Cycles: polls.Count(ScheduleDispatcher.SpanName), Sweeps: polls.Count(ExecutionSweeper.SpanName));

        // The collection Hangfire starts at every quarter of an hour: it lists the container, which holds nothing.
        await using (var scope = scheduler.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OrphanBlobCollector>().CollectAsync(CancellationToken.None);
        }

        await Task.Delay(Observed);

        Assert.Multiple(() =>
        {
            Assert.That(polls.Count(ScheduleDispatcher.SpanName) - before.Cycles, Is.GreaterThan(10), "dispatch cycles in the window");
            Assert.That(polls.Count(ExecutionSweeper.SpanName) - before.Sweeps, Is.GreaterThan(1), "sweeps in the window");
            Assert.That(polls.Count(OrphanBlobCollector.SpanName), Is.GreaterThan(0), "orphan blob collections in the window");
            Assert.That(spans.Roots().Select(Describe), Is.Empty, "root spans exported while idle");
        });
    }

    [Test]
    public async Task Should_export_a_dispatch_cycle_that_fired_a_schedule_with_its_publishes()
    {
        var spans = new ExportedSpans();
        await using var scheduler = await new SchedulerApp(Settings(RealServersSetUp.Isolated.ServiceSettings()), Exporting(spans)).StartAsync();
        var schedule = await Rows.ScheduleAsync(await Rows.GraphAsync(SampleGraphs.Greeting), "* * * * * *");
        try
        {
            var cycle = await Poll.UntilAsync(
                () => Task.FromResult(spans.Roots().FirstOrDefault(span =>
                    span.OperationName == ScheduleDispatcher.SpanName
                    && spans.Snapshot().Any(child => child.TraceId == span.TraceId && child.Kind == ActivityKind.Producer))),
                found => found is not null,
                "a dispatch cycle exported with a publish");

            Assert.That(cycle!.GetTagItem("graphexec.schedules.claimed"), Is.GreaterThan(0));
        }
        finally
        {
            await using var db = Rows.Db();
            await db.Schedules.Where(s => s.OwnerId == schedule.OwnerId && s.Id == schedule.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.Enabled, false).SetProperty(s => s.NextFireAt, (DateTimeOffset?)null));
        }
    }

    private static Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string> servers)
    {
        var settings = servers.ToDictionary(setting => setting.Key, setting => (string?)setting.Value);
        settings[TraceSampling.RatioKey] = "1";
        return settings;
    }

    private static Action<IServiceCollection> Exporting(ExportedSpans spans) =>
        services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));

    private static string Describe(Activity span) =>
        $"{span.Source.Name}: {span.DisplayName} ({span.Kind}, {span.Duration.TotalMilliseconds:0} ms, {span.Status})";

    /// <summary>
    /// Counts the polls' spans as they end, exported or not. It samples nothing itself, so it changes no decision: an
    /// activity exists only when the service's own sampler asks for one.
    /// </summary>
    private sealed class PollCounter : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

        public PollCounter()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == Telemetry.GraphExec,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
                ActivityStopped = span =>
                {
                    lock (_counts)
                    {
                        _counts[span.OperationName] = _counts.GetValueOrDefault(span.OperationName) + 1;
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public int Count(string name)
        {
            lock (_counts)
            {
                return _counts.GetValueOrDefault(name);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
