using System.Text.Json;
using GraphExec.Cli.Infrastructure;
using GraphExec.Testing;

namespace GraphExec.Cli.Tests.Integration;

/// <summary><c>graphexec webhooks</c> and <c>graphexec schedules</c>: create, list and delete a graph's triggers.</summary>
public sealed class Managing_webhooks_and_schedules
{
    private CliUser _user = null!;

    [SetUp]
    public async Task SignUpAsync()
    {
        _user = await CliUser.SignUpAsync();
        await _user.Session.SaveGraphAsync(SampleGraphs.Greeting);
    }

    [TearDown]
    public void Clean() => _user.Dispose();

    [Test]
    public async Task Should_print_a_new_webhooks_secret_once_and_delete_it()
    {
        var created = await _user.RunAsync("webhooks", "create", "Greeting", "--json");
        var webhook = JsonDocument.Parse(created.Out).RootElement;
        var id = webhook.GetProperty("id").GetString()!;
        var list = await _user.RunAsync("webhooks", "list", "Greeting");
        var delete = await _user.RunAsync("webhooks", "delete", id);
        var after = await _user.RunAsync("webhooks", "list", "Greeting", "--json");

        Assert.That(created.ExitCode, Is.EqualTo(ExitCodes.Ok), created.ToString());
        Assert.That(webhook.GetProperty("secret").GetString(), Does.StartWith("whsec_"));
        Assert.That(list.Out, Does.StartWith("ID").And.Contain(id).And.Not.Contain("whsec_"), list.ToString());
        Assert.That(delete.ExitCode, Is.EqualTo(ExitCodes.Ok), delete.ToString());
        Assert.That(JsonDocument.Parse(after.Out).RootElement.GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Should_create_list_and_delete_a_schedule()
    {
        var created = await _user.RunAsync(
            "schedules", "create", "Greeting", "--cron", "0 6 * * *", "--time-zone", "Europe/Berlin", "--input", "who=Ada", "--json");
        var schedule = JsonDocument.Parse(created.Out).RootElement;
        var id = schedule.GetProperty("id").GetString()!;
        var list = await _user.RunAsync("schedules", "list", "Greeting");
        var delete = await _user.RunAsync("schedules", "delete", id);

        Assert.That(created.ExitCode, Is.EqualTo(ExitCodes.Ok), created.ToString());
        Assert.That(schedule.GetProperty("inputs").GetProperty("who").GetString(), Is.EqualTo("Ada"));
        Assert.That(list.Out, Does.Match($@"{id}\s+0 6 \* \* \*\s+Europe/Berlin\s+true"), list.ToString());
        Assert.That(delete.ExitCode, Is.EqualTo(ExitCodes.Ok), delete.ToString());
    }

    [Test]
    public async Task Should_print_each_field_error_of_a_refused_schedule()
    {
        var created = await _user.RunAsync("schedules", "create", "Greeting", "--cron", "not a cron");

        Assert.That(created.ExitCode, Is.EqualTo(ExitCodes.Failed), created.ToString());
        Assert.That(created.Error, Does.StartWith("error: "));
        Assert.That(created.Error, Does.Contain("cron:").Or.Contain("/cron:"));
    }
}
