using GraphExec.Engine;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Blocks;

public class The_template_block
{
    [TestCase("Hello, {{who}}!", """{ "who": "Ada" }""", "Hello, Ada!")]
    [TestCase("{{ user.name }} lives in {{user.address.city}}", """{ "user": { "name": "Ada", "address": { "city": "London" } } }""", "Ada lives in London")]
    [TestCase("First: {{items.0.sku}}", """{ "items": [{ "sku": "A-1" }] }""", "First: A-1")]
    [TestCase("{{n}} items, paid: {{paid}}", """{ "n": 3, "paid": true }""", "3 items, paid: true")]
    [TestCase("Order {{order}}", """{ "order": { "id": 7 } }""", "Order {\"id\":7}")]
    [TestCase("[{{missing.path}}]", """{ "missing": {} }""", "[]")]
    [TestCase("[{{nothing}}]", """{ "nothing": null }""", "[]")]
    [TestCase("No placeholders", null, "No placeholders")]
    public async Task Should_render_text_from_its_inputs(string template, string? inputs, string expected)
    {
        var node = await OneNode.RunAsync("template", $$"""{ "template": {{System.Text.Json.JsonSerializer.Serialize(template)}} }""", inputs);

        Assert.That(node.Status, Is.EqualTo(NodeStatus.Succeeded));
        Assert.That(node.Outputs["text"]!.GetValue<string>(), Is.EqualTo(expected));
    }
}
