using System.Text.RegularExpressions;
using GraphExec.Web.Tests.Support;

namespace GraphExec.Web.Tests;

/// <summary>A person builds and edits graphs on the canvas of the Design tab with the mouse and the keyboard, in Chromium against the whole app.</summary>
public sealed class Editing_a_graph_on_the_canvas : BrowserScenario
{
    [Test]
    public async Task Should_build_input_template_output_with_the_mouse_save_it_and_watch_it_run()
    {
        var page = await NewPageAsync();
        await Person.SignUpAsync(page);
        await Person.CreateGraphAsync(page, "blank", "Built on the canvas");
        var canvas = page.Locator("svg[data-canvas]");
        await Assertions.Expect(page.Locator("[data-canvas-focus][data-ready]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("g.node")).ToHaveCountAsync(2);

        // An empty canvas: a rubber band (Shift-drag on the background) selects both nodes, Delete deletes them.
        var frame = (await canvas.BoundingBoxAsync())!;
        await page.Keyboard.DownAsync("Shift");
        await page.Mouse.MoveAsync(frame.X + 4, frame.Y + 4);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(frame.X + frame.Width - 4, frame.Y + frame.Height - 4, new() { Steps = 8 });
        await page.Mouse.UpAsync();
        await page.Keyboard.UpAsync("Shift");
        await Assertions.Expect(page.Locator("g.node.selected")).ToHaveCountAsync(2);
        await page.Keyboard.PressAsync("Delete");
        await Assertions.Expect(page.Locator("g.node")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("Drag a block here from the palette")).ToBeVisibleAsync();

        // Blocks from the palette: dragged onto the canvas, or found by the search and added with Enter.
        await page.Locator(".palette-item[data-block='input']").DragToAsync(canvas, new() { TargetPosition = new() { X = 60, Y = 200 } });
        await Assertions.Expect(Person.Node(page, "input1")).ToBeVisibleAsync();
        await page.GetByLabel("Search blocks").FillAsync("templ");
        await page.GetByLabel("Search blocks").PressAsync("Enter");
        await Assertions.Expect(Person.Node(page, "template1")).ToBeVisibleAsync();
        await page.Locator(".palette-item[data-block='output']").DragToAsync(canvas, new() { TargetPosition = new() { X = frame.Width - 200, Y = 260 } });
        await Assertions.Expect(Person.Node(page, "output1")).ToBeVisibleAsync();

        // Edges drawn from an output to an input; the template's new input is named after the node that feeds it.
        await ConnectAsync(page, "input1.value", "template1.+");
        await Assertions.Expect(Port(page, "template1.input1")).ToBeVisibleAsync();
        await ConnectAsync(page, "template1.text", "output1.value");
        await Assertions.Expect(page.Locator("path.edge")).ToHaveCountAsync(2);

        // The template, filled in the side panel with the name the panel suggests.
        await Person.Node(page, "template1").Locator(".node-button").ClickAsync();
        await Assertions.Expect(page.Locator("[data-node-panel='template1']")).ToBeVisibleAsync();
        await Assertions.Expect(Person.Node(page, "template1")).ToHaveClassAsync(new Regex("has-error"));
        await Assertions.Expect(page.Locator("[data-field='template'] .field-error")).ToContainTextAsync("required");
        await page.GetByLabel("template (required)").FillAsync("Hello, ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Insert {{input1}} into template" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("template (required)")).ToHaveValueAsync("Hello, {{input1}}");
        await Assertions.Expect(Person.Node(page, "template1")).Not.ToHaveClassAsync(new Regex("has-error"));
        await Assertions.Expect(page.GetByLabel("JSON", new() { Exact = true })).ToHaveValueAsync(new Regex("\"template\": \"Hello, \\{\\{input1\\}\\}\""));
        await page.GetByRole(AriaRole.Button, new() { Name = "Arrange" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-canvas-message]")).ToHaveTextAsync("Arranged in columns.");
        await Screenshots.TakeAsync(page, "editor", fullPage: false);
        await Accessibility.AssertNoViolationsAsync(page, "graph, Design tab with a node selected on the canvas");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save version" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Saved as version 2.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Run", Exact = true }).First.ClickAsync();
        await page.Locator("#input-input1").FillAsync("Ada");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/executions/[0-9a-f-]{36}$"));
        foreach (var node in new[] { "input1", "template1", "output1" })
        {
            await Assertions.Expect(Person.Node(page, node)).ToHaveAttributeAsync("data-status", "Succeeded");
        }

        await Assertions.Expect(page.GetByTestId("execution-outputs")).ToContainTextAsync("Hello, Ada");
    }

    [Test]
    public async Task Should_refuse_an_invalid_connection_and_bring_a_deleted_node_back_with_undo()
    {
        var page = await NewPageAsync();
        await Person.SignUpAsync(page);
        await Person.CreateGraphAsync(page, "greeting", "Edited on the canvas");
        await Assertions.Expect(page.Locator("[data-canvas-focus][data-ready]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("path.edge")).ToHaveCountAsync(2);

        // 'out.value' is fed already: the edge does not snap, and dropping it there says why.
        await ConnectAsync(page, "who.value", "out.value", snaps: false);
        await Assertions.Expect(page.Locator("[data-canvas-message]")).ToContainTextAsync("already has an edge");
        await Assertions.Expect(page.Locator("path.edge")).ToHaveCountAsync(2);
        await Screenshots.TakeAsync(page, "editor-refused", fullPage: false);
        await Accessibility.AssertNoViolationsAsync(page, "graph, Design tab after a refused connection");

        await Person.Node(page, "greet").Locator(".node-button").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Assertions.Expect(Person.Node(page, "greet")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("path.edge")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByLabel("JSON", new() { Exact = true })).Not.ToHaveValueAsync(new Regex("\"id\": \"greet\""));

        await page.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();
        await Assertions.Expect(Person.Node(page, "greet")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("path.edge")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByLabel("JSON", new() { Exact = true })).ToHaveValueAsync(new Regex("\"greet\\.text\""));

        // The keyboard: Ctrl+Y deletes it again, Ctrl+Z brings it back.
        await page.Locator("[data-canvas-focus]").FocusAsync();
        await page.Keyboard.PressAsync("Control+y");
        await Assertions.Expect(Person.Node(page, "greet")).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Control+z");
        await Assertions.Expect(Person.Node(page, "greet")).ToBeVisibleAsync();

        // The JSON view edits the same graph: a node renamed there is renamed on the canvas.
        var json = page.GetByLabel("JSON", new() { Exact = true });
        var text = await json.InputValueAsync();
        await json.FillAsync(text.Replace("\"who\"", "\"person\"").Replace("who.value", "person.value"));
        await Assertions.Expect(Person.Node(page, "person")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("path.edge")).ToHaveCountAsync(2);
    }

    private static ILocator Port(IPage page, string address) => page.Locator($"[data-port='{address}'] circle.port");

    /// <summary>Drags from an output port to an input port; on the way the valid inputs light up (or, when it would be refused, not).</summary>
    private static async Task ConnectAsync(IPage page, string from, string to, bool snaps = true)
    {
        var source = (await Port(page, from).BoundingBoxAsync())!;
        var target = (await Port(page, to).BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(source.X + source.Width / 2, source.Y + source.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(source.X + 60, source.Y + 30, new() { Steps = 4 });
        await Assertions.Expect(page.Locator("svg.connecting")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".port-valid")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($"[data-port='{to}'].port-valid")).ToHaveCountAsync(snaps ? 1 : 0);

        await page.Mouse.MoveAsync(target.X + target.Width / 2, target.Y + target.Height / 2, new() { Steps = 8 });
        await Assertions.Expect(page.Locator($"[data-port='{to}'].port-snap")).ToHaveCountAsync(snaps ? 1 : 0);

        await page.Mouse.UpAsync();
    }
}
