using System.Text.RegularExpressions;
using GraphExec.Web.Tests.Support;

namespace GraphExec.Web.Tests;

/// <summary>On the Credentials page a person stores, replaces and deletes named secrets; a value never comes back to the page.</summary>
public sealed class Managing_Credentials_in_the_browser : BrowserScenario
{
    private const string Value = "ghp_browser_test_value_8f3a9c";
    private const string NewValue = "ghp_browser_test_value_rotated_5d21e7";

    [Test]
    public async Task Should_store_a_credential_list_its_reference_and_never_show_its_value_again()
    {
        var page = await NewPageAsync();
        await Person.SignUpAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Credentials", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Credentials", Exact = true })).ToBeVisibleAsync();

        // With none yet, the page says what credentials are for and how a config uses one.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No credentials yet" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Example header")).ToHaveTextAsync("Authorization: Bearer {{secrets.github}}");
        await Accessibility.AssertNoViolationsAsync(page, "credentials, none yet");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("github");
        await Assertions.Expect(page.GetByTestId("reference-preview")).ToHaveTextAsync("{{secrets.github}}");
        await page.GetByLabel("Kind").SelectOptionAsync(new SelectOptionValue { Label = "Bearer token" });
        var value = page.GetByLabel("Value", new() { Exact = true });
        await Assertions.Expect(value).ToHaveAttributeAsync("type", "password");
        await value.FillAsync(Value);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save credential" }).ClickAsync();

        var github = page.Locator("[data-credential='github']");
        await Assertions.Expect(github.GetByTestId("credential-reference")).ToHaveTextAsync("{{secrets.github}}");
        await Assertions.Expect(github.Locator(".chip")).ToHaveTextAsync("Bearer token");
        await Assertions.Expect(github).ToContainTextAsync("never used");
        await Assertions.Expect(github.GetByRole(AriaRole.Button, new() { Name = "Copy the reference to github" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("credential-saved")).ToContainTextAsync("will not be shown again");

        // Once stored, the value is gone from the form and from the page: neither typed nor rendered anywhere.
        await Assertions.Expect(value).ToHaveValueAsync("");
        Assert.That(await page.ContentAsync(), Does.Not.Contain(Value));

        // A second one, for the picture: the newest is listed first.
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("stripe-live");
        await page.GetByLabel("Kind").SelectOptionAsync(new SelectOptionValue { Label = "API key" });
        await value.FillAsync("sk_live_browser_test_0123456789");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save credential" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-credential]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-credential]").First).ToHaveAttributeAsync("data-credential", "stripe-live");
        await Screenshots.TakeAsync(page, "credentials");
        await Accessibility.AssertNoViolationsAsync(page, "credentials, two saved");

        // Replace the value: the row says so, and the new value is no more on the page than the old one.
        await github.GetByRole(AriaRole.Button, new() { Name = "Replace value" }).ClickAsync();
        var replace = page.GetByRole(AriaRole.Form, new() { Name = "Replace the value of github" });
        await replace.GetByLabel("New value").FillAsync(NewValue);
        await Accessibility.AssertNoViolationsAsync(page, "credentials, replacing a value");
        await replace.GetByRole(AriaRole.Button, new() { Name = "Save new value" }).ClickAsync();
        await Assertions.Expect(replace).ToHaveCountAsync(0);
        await Assertions.Expect(github).ToContainTextAsync("value replaced");
        Assert.That(await page.ContentAsync(), Does.Not.Contain(NewValue));

        // The list as the Api keeps it, after a reload: both, still without values.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-credential]")).ToHaveCountAsync(2);
        await Assertions.Expect(github).ToContainTextAsync("value replaced");
        var html = await page.ContentAsync();
        Assert.That(html, Does.Not.Contain(Value).And.Not.Contain(NewValue));

        // Delete asks once more before it deletes.
        await github.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Assertions.Expect(github).ToContainTextAsync("Graphs that use it fail until it exists again.");
        await Accessibility.AssertNoViolationsAsync(page, "credentials, confirming a delete");
        await github.GetByRole(AriaRole.Button, new() { Name = "Delete for good" }).ClickAsync();
        await Assertions.Expect(github).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-credential]")).ToHaveCountAsync(1);

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-credential='stripe-live']")).ToBeVisibleAsync();
        await Assertions.Expect(github).ToHaveCountAsync(0);
    }

    [Test]
    public async Task Should_show_a_bad_or_taken_name_at_the_name_field()
    {
        var page = await NewPageAsync();
        await Person.SignUpAsync(page);
        await page.GotoAsync("/credentials");
        var name = page.GetByLabel("Name", new() { Exact = true });
        var nameErrors = page.Locator(".field", new() { Has = name }).Locator(".field-error");

        await name.FillAsync("my token");
        await page.GetByLabel("Value", new() { Exact = true }).FillAsync(Value);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save credential" }).ClickAsync();
        await Assertions.Expect(nameErrors).ToHaveTextAsync(new Regex("A name is 1 to 64 letters, digits, '_' or '-'"));
        await Assertions.Expect(name).ToHaveAttributeAsync("aria-invalid", "true");
        await Accessibility.AssertNoViolationsAsync(page, "credentials, a refused name");
        await Assertions.Expect(page.Locator("[data-credential]")).ToHaveCountAsync(0);

        // The Api's refusal of a name lands at the same field: this one exists already.
        await name.FillAsync("deploy-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save credential" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-credential='deploy-key']")).ToBeVisibleAsync();
        await name.FillAsync("deploy-key");
        await page.GetByLabel("Value", new() { Exact = true }).FillAsync(Value);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save credential" }).ClickAsync();
        await Assertions.Expect(nameErrors).ToHaveTextAsync(new Regex("You already have a credential named 'deploy-key'"));
        await Assertions.Expect(page.Locator("[data-credential]")).ToHaveCountAsync(1);
    }
}
