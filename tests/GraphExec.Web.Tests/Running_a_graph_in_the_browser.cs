using System.Text.RegularExpressions;
using GraphExec.Web.Tests.Support;

namespace GraphExec.Web.Tests;

/// <summary>A person signs up, builds a graph from a template, runs it and watches it, in Chromium against the whole app.</summary>
public sealed class Running_a_graph_in_the_browser : BrowserScenario
{
    [Test]
    public async Task Should_run_a_template_and_show_every_node_succeed_with_its_output()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/signin");
        await Screenshots.TakeAsync(page, "sign-in", fullPage: false);
        await Accessibility.AssertNoViolationsAsync(page, "sign-in");
        await Person.SignUpAsync(page, scan: true);
        var graph = await Person.CreateGraphAsync(page, "greeting", "Greeting from the browser", scan: true);

        foreach (var node in new[] { "who", "greet", "out" })
        {
            await Assertions.Expect(Person.Node(page, node)).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.Locator("path.edge")).ToHaveCountAsync(2);
        await Screenshots.TakeAsync(page, "graph");
        await Accessibility.AssertNoViolationsAsync(page, "graph, Design tab");

        // The tabs this scenario does not use otherwise, each scanned once it shows its content.
        await page.GetByRole(AriaRole.Link, new() { Name = "Versions", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("This is the first version")).ToBeVisibleAsync();
        await Assertions.Expect(Person.Node(page, "greet")).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page, "graph, Versions tab");
        await page.GetByRole(AriaRole.Link, new() { Name = "Settings", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete graph" })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page, "graph, Settings tab");

        await page.GetByRole(AriaRole.Link, new() { Name = "Run", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Run Greeting from the browser" })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page, "graph, Run tab");
        await page.Locator("#input-who").FillAsync("Ada");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/executions/[0-9a-f-]{36}$"));
        var execution = page.Url[^36..];

        foreach (var node in new[] { "who", "greet", "out" })
        {
            await Assertions.Expect(Person.Node(page, node)).ToHaveAttributeAsync("data-status", "Succeeded");
        }

        await Assertions.Expect(page.GetByTestId("execution-outputs")).ToContainTextAsync("Hello, Ada!");
        await Assertions.Expect(page.Locator("h1 .badge")).ToHaveTextAsync("Succeeded");
        await page.Locator("[data-timeline-node='greet'] button").ClickAsync();
        await Assertions.Expect(page.Locator(".node-details")).ToContainTextAsync("Hello, Ada!");
        await Screenshots.TakeAsync(page, "execution");
        await Accessibility.AssertNoViolationsAsync(page, "execution");

        // A reload replays the run: the same picture, from the record and the hub's replay.
        await page.ReloadAsync();
        await Assertions.Expect(Person.Node(page, "greet")).ToHaveAttributeAsync("data-status", "Succeeded");

        // Run again: a new execution with the same inputs, on its own page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Run again" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.EndsWith(execution, StringComparison.Ordinal) && Regex.IsMatch(url, "/executions/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.GetByTestId("execution-outputs")).ToContainTextAsync("Hello, Ada!");
        await Assertions.Expect(page.Locator("h1 .badge")).ToHaveTextAsync("Succeeded");

        await page.GetByRole(AriaRole.Link, new() { Name = "Executions", Exact = true }).First.ClickAsync();
        var row = page.Locator($"tr[data-execution-id='{execution}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator(".badge")).ToHaveTextAsync("Succeeded");
        await Assertions.Expect(row).ToContainTextAsync("Greeting from the browser");
        await Screenshots.TakeAsync(page, "executions");
        await Accessibility.AssertNoViolationsAsync(page, "executions");

        await page.GotoAsync($"/executions?graph={graph}&status=Failed");
        await Assertions.Expect(page.GetByText("No executions match these filters")).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page, "executions, none match");

        await page.GetByRole(AriaRole.Link, new() { Name = "Graphs", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Greeting from the browser" })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page, "graph list");
    }

    [Test]
    public async Task Should_show_a_validation_error_on_the_node_at_fault()
    {
        var page = await NewPageAsync();
        await Person.SignUpAsync(page);
        await Person.CreateGraphAsync(page, "greeting", "Broken greeting");

        var editor = page.GetByLabel("JSON", new() { Exact = true });
        var json = await editor.InputValueAsync();
        await editor.FillAsync(json.Replace("\"block\": \"template\"", "\"block\": \"tempalte\""));
        await page.GetByRole(AriaRole.Button, new() { Name = "Save version" }).ClickAsync();

        var greet = Person.Node(page, "greet");
        await Assertions.Expect(greet).ToHaveClassAsync(new Regex("has-error"));
        await Assertions.Expect(Person.Node(page, "who")).Not.ToHaveClassAsync(new Regex("has-error"));
        await Assertions.Expect(page.Locator("[data-node-panel='greet'] .field-error")).ToContainTextAsync("tempalte");
        await Assertions.Expect(page.Locator("#graph-issues")).ToContainTextAsync("block");
        await Screenshots.TakeAsync(page, "graph-invalid");
        await Accessibility.AssertNoViolationsAsync(page, "graph, Design tab with a refused version");

        // Nothing was saved: the graph is still at version 1.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("h1 .chip")).ToHaveTextAsync("v1");
    }

    [Test]
    public async Task Should_serve_pages_that_only_this_origin_may_script_or_frame()
    {
        using var web = App.CreateHttpClient("web");
        using var page = await web.GetAsync("/signin");

        Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("script-src 'self';").And.Contain("frame-ancestors 'none'"));
        Assert.That(page.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
        Assert.That(page.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
    }

    [Test]
    public async Task Should_show_the_block_catalogue_with_ports_config_and_examples()
    {
        var page = await NewPageAsync();
        await Person.SignUpAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Blocks" }).ClickAsync();

        var template = page.Locator("#block-template");
        await Assertions.Expect(template).ToContainTextAsync("Outputs");
        await Assertions.Expect(template.Locator("pre.json").First).ToContainTextAsync("\"block\": \"template\"");
        await Assertions.Expect(page.Locator("article.block-card")).ToHaveCountAsync(await page.Locator(".block-index .chip").CountAsync());
        await Screenshots.TakeAsync(page, "blocks", fullPage: false);
        await Accessibility.AssertNoViolationsAsync(page, "blocks");
    }

    [Test]
    public async Task Should_fit_a_phone_and_keep_the_picture_readable()
    {
        var page = await NewPageAsync(width: 390, height: 844);
        await Person.SignUpAsync(page);
        await Person.CreateGraphAsync(page, "order-routing", "Orders on a phone");
        await Assertions.Expect(Person.Node(page, "todo")).ToBeVisibleAsync();

        var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.That(overflow, Is.False, "the page scrolls sideways on a phone");
        await Screenshots.TakeAsync(page, "phone-graph", fullPage: false);
        await Accessibility.AssertNoViolationsAsync(page, "graph on a phone");
    }
}
