using GraphExec.Core.Schedules;
using GraphExec.Engine.Schedules;
using GraphExec.Testing;

namespace GraphExec.Scheduler.Tests;

/// <summary>Two Scheduler replicas share the due schedules and never start two executions for one fire time.</summary>
public sealed class Running_two_schedulers
{
    [Test]
    public async Task Should_start_exactly_one_execution_per_fire_time()
    {
        await using var first = await new SchedulerApp().StartAsync();
        await using var second = await new SchedulerApp().StartAsync();
        var graph = await Rows.GraphAsync(SampleGraphs.Greeting);
        var schedules = new List<Core.Data.Schedule>();
        for (var i = 0; i < 20; i++)
        {
            schedules.Add(await Rows.ScheduleAsync(graph, "* * * * * *", new { who = $"replica {i}" }));
        }

        await Poll.UntilAsync(
            async () => await Task.WhenAll(schedules.Select(Rows.ExecutionsAsync)),
            all => all.All(list => list.Count >= 6),
            "every schedule to fire six times");
        foreach (var schedule in schedules)
        {
            await Firing_schedules.PauseAsync(schedule);
        }

        foreach (var schedule in schedules)
        {
            var executions = await Rows.ExecutionsAsync(schedule);
            var fireTimes = executions.Select(e => ScheduleTrigger.FireTimeOf(e.TriggerRef!)).ToList();
            Assert.That(fireTimes, Is.Unique);
            Assert.That(fireTimes.Zip(fireTimes.Skip(1), (a, b) => b - a), Has.All.EqualTo(TimeSpan.FromSeconds(1)),
                "one execution for every second from the first to the last");
            Assert.That((await Rows.ReloadAsync(schedule)).FiredCount, Is.EqualTo(executions.Count), "each execution counted once");
        }
    }
}
