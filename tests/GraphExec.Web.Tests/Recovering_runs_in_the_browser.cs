using System.Text.RegularExpressions;
using GraphExec.Web.Tests.Support;

namespace GraphExec.Web.Tests;

/// <summary>
/// A person retries a failed run from its failed node and sees which nodes were reused, and cancels a run from the list
/// of executions, in Chromium against the whole app.
/// </summary>
public sealed class Recovering_runs_in_the_browser : BrowserScenario
{
    /// <summary>A greeting whose last step always fails: the retry reuses the input and the template, and runs the failing step.</summary>
    private const string FailingGreeting = """
        {
          "name": "Failing greeting",
          "nodes": [
            { "id": "who",   "block": "input",    "config": { "name": "who", "type": "string", "default": "world" } },
            { "id": "greet", "block": "template", "config": { "template": "Hello, {{who}}!" } },
            { "id": "stop",  "block": "fail",     "config": { "message": "Refused: {{text}}" } }
          ],
          "edges": [
            { "from": "who.value",  "to": "greet.who" },
            { "from": "greet.text", "to": "stop.text" }
          ]
        }
        """;

    [Test]
    public async Task Should_retry_a_failed_run_from_its_failed_node_and_mark_the_reused_nodes()
    {
        var page = await NewPageAsync();
        await Person.SignUpAsync(page);
        await Person.CreateGraphAsync(page, "greeting", "Failing greeting");
        await page.GetByLabel("JSON", new() { Exact = true }).FillAsync(FailingGreeting);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save version" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Saved as version 2.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Run", Exact = true }).First.ClickAsync();
        await page.Locator("#input-who").FillAsync("Ada");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/executions/[0-9a-f-]{36}$"));
        var failed = page.Url[^36..];
        await Assertions.Expect(page.Locator("h1 .badge")).ToHaveTextAsync("Failed");
        await Assertions.Expect(page.Locator("[data-reused]")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Retry from failed node" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.EndsWith(failed, StringComparison.Ordinal) && Regex.IsMatch(url, "/executions/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.Locator("h1 .badge")).ToHaveTextAsync("Failed");
        await Assertions.Expect(page.GetByTestId("retry-of")).ToContainTextAsync("retry of");
        await Assertions.Expect(page.GetByTestId("retry-of").GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", $"/executions/{failed}");
        foreach (var node in new[] { "who", "greet" })
        {
            await Assertions.Expect(page.Locator($"[data-reused='{node}']")).ToHaveAccessibleNameAsync(new Regex("^reused from execution "));
            await Assertions.Expect(Person.Node(page, node)).ToHaveAttributeAsync("data-status", "Succeeded");
        }

        await Assertions.Expect(page.Locator("[data-reused='stop']")).ToHaveCountAsync(0);
        await Assertions.Expect(Person.Node(page, "stop")).ToHaveAttributeAsync("data-status", "Failed");
        await Screenshots.TakeAsync(page, "execution-retry");
        await Accessibility.AssertNoViolationsAsync(page, "execution, a retry with reused nodes");
    }

    [Test]
    public async Task Should_cancel_a_running_run_from_the_list_of_executions()
    {
        var page = await NewPageAsync();
        await Person.SignUpAsync(page);
        var graph = await Person.CreateGraphAsync(page, "slow", "Slow to cancel");
        var editor = page.GetByLabel("JSON", new() { Exact = true });
        await editor.FillAsync((await editor.InputValueAsync()).Replace("1500", "20000", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Save version" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Saved as version 2.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Run", Exact = true }).First.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/executions/[0-9a-f-]{36}$"));
        var execution = page.Url[^36..];

        // The graph's runs: the list refreshes itself, so the run shows Running without a reload.
        await page.GotoAsync($"/executions?graph={graph}");
        var row = page.Locator($"tr[data-execution-id='{execution}']");
        await Assertions.Expect(row.Locator(".badge")).ToHaveTextAsync("Running");
        await Accessibility.AssertNoViolationsAsync(page, "executions, a run that can be cancelled");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Cancel execution {execution[..8]}" }).ClickAsync();

        await Assertions.Expect(row.Locator(".badge")).ToHaveTextAsync("Cancelled");
        await Assertions.Expect(row.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
    }
}
