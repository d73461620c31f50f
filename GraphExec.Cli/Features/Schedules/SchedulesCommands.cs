using System.CommandLine;
using System.Text.Json;
using GraphExec.Cli.Features.Graphs;
using GraphExec.Cli.Features.Runs;
using GraphExec.Cli.Features.Webhooks;
using GraphExec.Cli.Infrastructure;

namespace GraphExec.Cli.Features.Schedules;

/// <summary><c>graphexec schedules list|create|delete</c>.</summary>
public static class SchedulesCommands
{
    public static Command Create(CliCommands commands) => new("schedules", "Lists, creates and deletes a graph's schedules.")
    {
        List(commands), CreateSchedule(commands), Delete(commands),
    };

    private static Command List(CliCommands commands)
    {
        var graph = GraphArgument();
        var command = new Command("list", "Lists a graph's schedules with their next fire time.") { graph };
        return commands.Action(command, async context =>
        {
            using var api = context.Api();
            var graphId = await GraphLookup.FindIdAsync(api, context.Value(graph), context.Cancellation);
            var schedules = new List<JsonElement>();
            await foreach (var schedule in api.ListAsync($"api/graphs/{graphId}/schedules", cancellationToken: context.Cancellation))
            {
                schedules.Add(schedule);
            }

            if (context.Json)
            {
                context.WriteJson(new { items = schedules });
                return ExitCodes.Ok;
            }

            var table = new Table("ID", "CRON", "TIME ZONE", "ENABLED", "NEXT");
            foreach (var schedule in schedules)
            {
                table.Add(schedule.Show("id"), schedule.Show("cron"), schedule.Show("timeZone"), schedule.Show("enabled"), NextFire(schedule));
            }

            table.Write(context.Out);
            return ExitCodes.Ok;
        });
    }

    private static Command CreateSchedule(CliCommands commands)
    {
        var graph = GraphArgument();
        var cron = new Option<string>("--cron") { Description = "5 fields (minute hour day month weekday), or 6 with seconds first.", Required = true };
        var timeZone = new Option<string>("--time-zone") { Description = "An IANA time zone, e.g. Europe/Berlin; UTC when left out." };
        var inputs = new Option<string[]>("--input", "-i") { Description = "An input of every run as name=value; repeat for more.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("create", "Creates a schedule that runs a graph on a cron expression.") { graph, cron, timeZone, inputs };
        return commands.Action(command, async context =>
        {
            var body = new
            {
                cron = context.Value(cron),
                timeZone = context.Value(timeZone),
                inputs = RunInputs.Parse(inputsFile: null, context.Value(inputs) ?? []),
            };
            using var api = context.Api();
            var graphId = await GraphLookup.FindIdAsync(api, context.Value(graph), context.Cancellation);
            var schedule = await api.PostAsync($"api/graphs/{graphId}/schedules", body, context.Cancellation);
            if (context.Json)
            {
                context.WriteJson(schedule);
            }
            else
            {
                new Table("FIELD", "VALUE")
                    .Add("id", schedule.Show("id"))
                    .Add("cron", schedule.Show("cron"))
                    .Add("time zone", schedule.Show("timeZone"))
                    .Add("next", NextFire(schedule))
                    .Write(context.Out);
            }

            return ExitCodes.Ok;
        });
    }

    private static Command Delete(CliCommands commands)
    {
        var id = new Argument<Guid>("id") { Description = "The schedule's id." };
        var command = new Command("delete", "Deletes a schedule; its executions stay.") { id };
        return commands.Action(command, async context =>
        {
            using var api = context.Api();
            await api.DeleteAsync($"api/schedules/{context.Value(id)}", context.Cancellation);
            WebhooksCommands.WriteDeleted(context, "schedule", context.Value(id));
            return ExitCodes.Ok;
        });
    }

    private static string? NextFire(JsonElement schedule) =>
        schedule.TryGetProperty("nextFireTimes", out var times) && times.ValueKind == JsonValueKind.Array && times.GetArrayLength() > 0
            ? times[0].GetString()
            : null;

    private static Argument<string> GraphArgument() => new("graph") { Description = "The graph's name or id." };
}
