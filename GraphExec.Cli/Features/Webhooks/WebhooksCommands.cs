using System.CommandLine;
using System.Text.Json;
using GraphExec.Cli.Features.Graphs;
using GraphExec.Cli.Infrastructure;

namespace GraphExec.Cli.Features.Webhooks;

/// <summary><c>graphexec webhooks list|create|delete</c>.</summary>
public static class WebhooksCommands
{
    public static Command Create(CliCommands commands) => new("webhooks", "Lists, creates and deletes a graph's webhooks.")
    {
        List(commands), CreateWebhook(commands), Delete(commands),
    };

    private static Command List(CliCommands commands)
    {
        var graph = GraphArgument();
        var command = new Command("list", "Lists a graph's webhooks (without their secrets).") { graph };
        return commands.Action(command, async context =>
        {
            using var api = context.Api();
            var graphId = await GraphLookup.FindIdAsync(api, context.Value(graph), context.Cancellation);
            var webhooks = new List<JsonElement>();
            await foreach (var webhook in api.ListAsync($"api/graphs/{graphId}/webhooks", cancellationToken: context.Cancellation))
            {
                webhooks.Add(webhook);
            }

            if (context.Json)
            {
                context.WriteJson(new { items = webhooks });
                return ExitCodes.Ok;
            }

            var table = new Table("ID", "SCHEME", "ENABLED", "URL");
            foreach (var webhook in webhooks)
            {
                table.Add(webhook.Show("id"), webhook.Show("scheme"), webhook.Show("enabled"), webhook.Show("url"));
            }

            table.Write(context.Out);
            return ExitCodes.Ok;
        });
    }

    private static Command CreateWebhook(CliCommands commands)
    {
        var graph = GraphArgument();
        var scheme = new Option<string>("--scheme") { Description = "How deliveries are signed: standard (Standard Webhooks, the default) or github." };
        scheme.AcceptOnlyFromAmong("standard", "github");
        var command = new Command("create", "Creates a webhook for a graph and prints its secret, shown this once.") { graph, scheme };
        return commands.Action(command, async context =>
        {
            using var api = context.Api();
            var graphId = await GraphLookup.FindIdAsync(api, context.Value(graph), context.Cancellation);
            var webhook = await api.PostAsync($"api/graphs/{graphId}/webhooks", new { scheme = context.Value(scheme) }, context.Cancellation);
            if (context.Json)
            {
                context.WriteJson(webhook);
            }
            else
            {
                new Table("FIELD", "VALUE")
                    .Add("id", webhook.Show("id"))
                    .Add("url", webhook.Show("url"))
                    .Add("scheme", webhook.Show("scheme"))
                    .Add("secret", webhook.Show("secret"))
                    .Write(context.Out);
                context.Error.WriteLine("Keep the secret now: it is not shown again (rotate it to get a new one).");
            }

            return ExitCodes.Ok;
        });
    }

    private static Command Delete(CliCommands commands)
    {
        var id = new Argument<Guid>("id") { Description = "The webhook's id." };
        var command = new Command("delete", "Deletes a webhook: its URL answers 404 from then on.") { id };
        return commands.Action(command, async context =>
        {
            using var api = context.Api();
            await api.DeleteAsync($"api/webhooks/{context.Value(id)}", context.Cancellation);
            WriteDeleted(context, "webhook", context.Value(id));
            return ExitCodes.Ok;
        });
    }

    private static Argument<string> GraphArgument() => new("graph") { Description = "The graph's name or id." };

    /// <summary>What a delete command answers: <c>{ "deleted": id }</c> or a line.</summary>
    public static void WriteDeleted(CliContext context, string what, Guid id)
    {
        if (context.Json)
        {
            context.WriteJson(new { deleted = id });
        }
        else
        {
            context.Out.WriteLine($"Deleted {what} {id}.");
        }
    }
}
