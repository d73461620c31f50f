namespace GraphExec.Web.Tests.Support;

/// <summary>What a person does in the UI, step by step, with the page's own labels.</summary>
public static class Person
{
    public const string Password = "a browser test passphrase";

    /// <summary>Signs up a new person; <paramref name="scan"/> also checks the sign-up form and the empty graph list for accessibility.</summary>
    public static async Task<string> SignUpAsync(IPage page, bool scan = false)
    {
        var username = $"web_{Guid.NewGuid():N}"[..20];
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create an account" })).ToBeVisibleAsync();
        if (scan)
        {
            await Accessibility.AssertNoViolationsAsync(page, "sign-up");
        }

        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByLabel("Repeat the password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Graphs", Exact = true })).ToBeVisibleAsync();
        if (scan)
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No graphs yet" })).ToBeVisibleAsync();
            await Accessibility.AssertNoViolationsAsync(page, "graph list, empty");
        }

        return username;
    }

    /// <summary>Creates a graph from a template and waits for its page; answers the graph's id. <paramref name="scan"/> also checks the form.</summary>
    public static async Task<Guid> CreateGraphAsync(IPage page, string template, string name, bool scan = false)
    {
        await page.GotoAsync("/graphs/new");
        var choice = page.Locator($"label[data-template='{template}']");
        await choice.Locator("input").CheckAsync();
        await Assertions.Expect(choice).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("chosen"));
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Name", Exact = true }).FillAsync(name);
        if (scan)
        {
            await Accessibility.AssertNoViolationsAsync(page, "new graph");
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Create graph" }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/graphs/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        return Guid.Parse(page.Url[^36..]);
    }

    public static ILocator Node(IPage page, string nodeId) => page.Locator($"g.node[data-node-id='{nodeId}']");
}
