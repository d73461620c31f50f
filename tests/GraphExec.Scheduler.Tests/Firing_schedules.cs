using System.Text.Json.Nodes;
using GraphExec.Core.Schedules;
using GraphExec.Engine;
using GraphExec.Engine.Schedules;
using GraphExec.Testing;

namespace GraphExec.Scheduler.Tests;

/// <summary>Due schedules become executions with their inputs, run by a real Worker; paused ones never fire.</summary>
public sealed class Firing_schedules
{
    private SchedulerApp _scheduler = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        await TestRun.WorkerAsync();
        _scheduler = await new SchedulerApp().StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _scheduler.DisposeAsync();

    [Test]
    public async Task Should_fire_a_per_second_schedule_at_least_three_times_with_its_inputs_and_succeed()
    {
        var graph = await Rows.GraphAsync(SampleGraphs.Greeting);
        var schedule = await Rows.ScheduleAsync(graph, "* * * * * *", new { who = "Ada" });

        var executions = await Poll.UntilAsync(
            () => Rows.ExecutionsAsync(schedule),
            list => list.Count(e => e.Status == ExecutionStatus.Succeeded) >= 3,
            "three scheduled runs to succeed");
        await PauseAsync(schedule);
        var stored = await Rows.ReloadAsync(schedule);

        var fireTimes = executions.Select(e => ScheduleTrigger.FireTimeOf(e.TriggerRef!)).ToList();
        Assert.That(fireTimes.Zip(fireTimes.Skip(1), (a, b) => b - a), Has.All.EqualTo(TimeSpan.FromSeconds(1)),
            "one execution for each second, none missed and none twice");
        var succeeded = executions.Where(e => e.Status == ExecutionStatus.Succeeded).Take(3).ToList();
        Assert.That(succeeded.Select(e => JsonNode.Parse(e.Inputs)!["who"]!.GetValue<string>()), Has.All.EqualTo("Ada"));
        Assert.That(succeeded.Select(e => JsonNode.Parse(e.Outputs!)!["greeting"]!.GetValue<string>()), Has.All.EqualTo("Hello, Ada!"));
        Assert.That(stored.FiredCount, Is.GreaterThanOrEqualTo(executions.Count));
        Assert.That(stored.LastExecutionId, Is.Not.Null);
        Assert.That(stored.LastFireAt, Is.GreaterThanOrEqualTo(fireTimes[^1]));
    }

    [Test]
    public async Task Should_never_fire_a_paused_schedule()
    {
        var graph = await Rows.GraphAsync(SampleGraphs.Greeting);
        var paused = await Rows.ScheduleAsync(graph, "* * * * * *", new { who = "Paused" }, enabled: false);
        var pausedLater = await Rows.ScheduleAsync(graph, "* * * * * *", new { who = "Later" });
        await PauseAsync(pausedLater);
        var firedBeforePause = (await Rows.ExecutionsAsync(pausedLater)).Count;
        var control = await Rows.ScheduleAsync(graph, "* * * * * *", new { who = "Control" });

        await Poll.UntilAsync(() => Rows.ExecutionsAsync(control), list => list.Count >= 4, "the control schedule to fire four times");
        await PauseAsync(control);

        Assert.That(await Rows.ExecutionsAsync(paused), Is.Empty);
        Assert.That((await Rows.ExecutionsAsync(pausedLater)).Count, Is.EqualTo(firedBeforePause));
        Assert.That((await Rows.ReloadAsync(paused)).FiredCount, Is.Zero);
    }

    /// <summary>Pauses as the Api does: no longer enabled, no next fire time.</summary>
    public static async Task PauseAsync(Core.Data.Schedule schedule)
    {
        await using var db = Rows.Db();
        var row = db.Schedules.Single(s => s.OwnerId == schedule.OwnerId && s.Id == schedule.Id);
        row.Enabled = false;
        row.NextFireAt = null;
        await db.SaveChangesAsync();
    }
}
