using GraphExec.Engine;
using GraphExec.Engine.Schedules;
using GraphExec.Testing;

namespace GraphExec.Scheduler.Tests;

/// <summary>With overlap <c>skip</c>, fire times that come while the previous run is unfinished start nothing and are counted.</summary>
public sealed class Skipping_overlapping_runs
{
    [Test]
    public async Task Should_skip_fire_times_while_a_slow_run_is_still_running()
    {
        await TestRun.WorkerAsync();
        await using var scheduler = await new SchedulerApp().StartAsync();
        var graph = await Rows.GraphAsync(SampleGraphs.Delay(3_000));
        var schedule = await Rows.ScheduleAsync(graph, "* * * * * *", overlap: ScheduleOverlap.Skip);

        await Poll.UntilAsync(
            () => Rows.ExecutionsAsync(schedule),
            list => list.Count(e => e.Status == ExecutionStatus.Succeeded) >= 2,
            "two slow runs to finish");
        await Firing_schedules.PauseAsync(schedule);
        var executions = await Rows.ExecutionsAsync(schedule);
        var stored = await Rows.ReloadAsync(schedule);

        var finished = executions.Where(e => e.FinishedAt is not null).ToList();
        foreach (var (earlier, later) in executions.Zip(executions.Skip(1)))
        {
            Assert.That(earlier.FinishedAt, Is.Not.Null, "a later run started only after the earlier one had finished");
            Assert.That(later.QueuedAt, Is.GreaterThanOrEqualTo(earlier.FinishedAt!.Value), "no two runs of the schedule overlapped");
        }

        Assert.That(finished.Select(e => e.Status), Has.All.EqualTo(ExecutionStatus.Succeeded));
        Assert.That(stored.SkippedCount, Is.GreaterThanOrEqualTo(2), "each slow run spans about three fire times");
        Assert.That(stored.FiredCount, Is.EqualTo(executions.Count));
    }
}
