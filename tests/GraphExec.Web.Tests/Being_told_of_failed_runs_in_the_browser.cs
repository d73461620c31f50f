using GraphExec.Web.Tests.Support;

namespace GraphExec.Web.Tests;

/// <summary>A person chooses an error handler and adds a notification URL on a graph's Settings tab.</summary>
public sealed class Being_told_of_failed_runs_in_the_browser : BrowserScenario
{
    [Test]
    public async Task Should_save_the_error_handler_and_show_a_new_urls_secret_once()
    {
        var page = await NewPageAsync();
        await Person.SignUpAsync(page);
        await Person.CreateGraphAsync(page, "blank", "On failure");
        await Person.CreateGraphAsync(page, "greeting", "Watched");

        await page.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await page.GetByLabel("Run on failure").SelectOptionAsync(new SelectOptionValue { Label = "On failure" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("Saved as version 2.")).ToBeVisibleAsync();

        await page.GetByLabel("URL", new() { Exact = true }).FillAsync("https://example.com/graphexec");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add URL" }).ClickAsync();
        var secret = await page.GetByTestId("notification-secret").TextContentAsync();
        Assert.That(secret, Does.StartWith("whsec_"));
        await Assertions.Expect(page.Locator("[data-notification-id]")).ToContainTextAsync("https://example.com/graphexec");
        await Accessibility.AssertNoViolationsAsync(page, "graph, Settings tab with an error handler and a new notification secret");

        await page.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();
        await Assertions.Expect(page.GetByText(secret!)).ToHaveCountAsync(0);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByLabel("Run on failure").Locator("option:checked")).ToHaveTextAsync("On failure");
    }
}
