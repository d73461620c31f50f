using System.Diagnostics;
using System.Text.RegularExpressions;
using GraphExec.Web.Tests.Support;

namespace GraphExec.Web.Tests;

/// <summary>A person sets up a webhook or a schedule in the UI; the runs they start show up in the UI.</summary>
public sealed class Triggering_a_graph_from_the_browser : BrowserScenario
{
    [Test]
    public async Task Should_show_a_webhook_once_and_list_the_runs_its_curl_example_starts()
    {
        var page = await NewPageAsync();
        await Person.SignUpAsync(page);
        var graph = await Person.CreateGraphAsync(page, "greeting", "Hooked greeting");

        await page.GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "New webhook" }).ClickAsync();
        var secret = await page.GetByTestId("webhook-secret").TextContentAsync();
        Assert.That(secret, Does.StartWith("whsec_"));
        var curl = await page.GetByLabel("Signed curl example").TextContentAsync();
        Assert.That(curl, Does.Contain(secret));
        await Screenshots.TakeAsync(page, "webhooks");
        await Accessibility.AssertNoViolationsAsync(page, "graph, Webhooks tab with a new secret");

        // The example is ready to paste: run it as a sender would (curl and openssl), with another name.
        var answer = await RunShellAsync(curl!.Replace("\"who\":\"world\"", "\"who\":\"Hook\""));
        Assert.That(answer, Does.Contain("executionId"), answer);

        // Once dismissed, the secret is gone for good; the list shows the webhook without it.
        await page.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("webhook-secret")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText(secret!)).ToHaveCountAsync(0);

        // Deliveries are recorded in batches: refresh until this one is listed.
        await page.GetByRole(AriaRole.Button, new() { Name = "Recent deliveries" }).ClickAsync();
        var delivery = page.Locator("table[aria-label='Recent deliveries'] tbody tr").First;
        for (var attempt = 0; attempt < 60 && await delivery.CountAsync() == 0; attempt++)
        {
            await page.WaitForTimeoutAsync(1000);
            await page.GetByRole(AriaRole.Button, new() { Name = "Refresh deliveries" }).ClickAsync();
        }

        await Assertions.Expect(delivery).ToContainTextAsync("202");
        await Accessibility.AssertNoViolationsAsync(page, "graph, Webhooks tab with recent deliveries");

        await page.GotoAsync($"/executions?graph={graph}&trigger=webhook");
        var row = page.Locator("tr[data-execution-id]").First;
        await Assertions.Expect(row).ToContainTextAsync("webhook");
        await row.GetByRole(AriaRole.Link).First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("execution-outputs")).ToContainTextAsync("Hello, Hook!");
    }

    [Test]
    public async Task Should_disable_and_rotate_a_webhook()
    {
        var page = await NewPageAsync();
        await Person.SignUpAsync(page);
        await Person.CreateGraphAsync(page, "blank", "Rotated");
        await page.GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "New webhook" }).ClickAsync();
        var first = await page.GetByTestId("webhook-secret").TextContentAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New secret" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("webhook-secret")).Not.ToHaveTextAsync(first!);

        await page.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-webhook-id] .badge").First).ToHaveTextAsync("Disabled");
    }

    [Test]
    public async Task Should_preview_a_schedule_and_list_the_runs_it_fires()
    {
        var page = await NewPageAsync();
        await Person.SignUpAsync(page);
        var graph = await Person.CreateGraphAsync(page, "greeting", "Timed greeting");
        await page.GetByRole(AriaRole.Link, new() { Name = "Schedules" }).ClickAsync();

        await page.GetByLabel("Cron").FillAsync("not a cron");
        await Assertions.Expect(page.GetByTestId("cron-preview").Locator(".field-error")).Not.ToHaveCountAsync(0);
        await Accessibility.AssertNoViolationsAsync(page, "graph, Schedules tab with a bad cron");

        await page.GetByLabel("Cron").FillAsync("*/2 * * * * *");
        await page.GetByLabel("Time zone").FillAsync("Europe/Berlin");
        await Assertions.Expect(page.GetByTestId("cron-preview").Locator("li")).ToHaveCountAsync(5);
        await page.GetByLabel("Inputs (JSON)").FillAsync("""{ "who": "Timer" }""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create schedule" }).ClickAsync();

        var schedule = page.Locator("[data-schedule-id]").First;
        await Assertions.Expect(schedule.Locator(".badge")).ToHaveTextAsync("Active");
        await Assertions.Expect(schedule.Locator(".fire-times li")).ToHaveCountAsync(5);
        await Screenshots.TakeAsync(page, "schedules");
        await Accessibility.AssertNoViolationsAsync(page, "graph, Schedules tab with a schedule");

        // Its runs appear among the executions, with the schedule as their trigger and its inputs.
        await page.GotoAsync($"/executions?graph={graph}&trigger=schedule");
        var row = page.Locator("tr[data-execution-id]").First;
        for (var attempt = 0; attempt < 120 && await row.CountAsync() == 0; attempt++)
        {
            await page.WaitForTimeoutAsync(1000);
            await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        }

        await Assertions.Expect(row).ToContainTextAsync("schedule");
        await row.GetByRole(AriaRole.Link).First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("execution-outputs")).ToContainTextAsync("Hello, Timer!");

        await page.GotoAsync($"/graphs/{graph}/schedules");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-schedule-id] .badge").First).ToHaveTextAsync("Paused");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete for good" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-schedule-id]")).ToHaveCountAsync(0);
    }

    private static async Task<string> RunShellAsync(string script)
    {
        using var shell = Process.Start(new ProcessStartInfo("/bin/bash", ["-euo", "pipefail", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await shell.StandardOutput.ReadToEndAsync();
        var errors = await shell.StandardError.ReadToEndAsync();
        await shell.WaitForExitAsync();
        Assert.That(shell.ExitCode, Is.Zero, errors);
        return output;
    }
}
