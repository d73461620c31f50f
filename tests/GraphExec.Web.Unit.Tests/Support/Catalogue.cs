using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Testing;
using GraphExec.Web.Api;

namespace GraphExec.Web.Unit.Tests.Support;

/// <summary>A few blocks as <c>GET /api/blocks</c> describes them: enough ports and schemas for the editor's rules.</summary>
public static class Catalogue
{
    public static readonly IReadOnlyList<BlockDescriptor> Blocks =
    [
        Block("input", [], ["value"], null, """
            { "type": "object", "required": ["name"], "properties": {
                "name": { "type": "string", "description": "The input's name." },
                "default": { "description": "The value used when the run gives none." },
                "type": { "enum": ["any", "string", "number"], "description": "The JSON type the value must have." } } }
            """),
        Block("output", ["value"], [], null, """
            { "type": "object", "required": ["name"], "properties": { "name": { "type": "string", "description": "The output's name." } } }
            """),
        Block("template", [], ["text"], "One required input per variable the template uses.", """
            { "type": "object", "required": ["template"], "properties": { "template": { "type": "string", "description": "The text with {{placeholders}}." } } }
            """),
        Block("delay", ["value"], ["value"], null, """
            { "type": "object", "required": ["milliseconds"], "properties": {
                "milliseconds": { "type": "integer", "default": 1000, "description": "How long to wait." } } }
            """),
    ];

    /// <summary>The graph of the README (who → greet → out) with a top-level property the editor does not know.</summary>
    public static readonly string Greeting = WithSettings(SampleGraphs.Greeting);

    private static BlockDescriptor Block(string name, string[] inputs, string[] outputs, string? configInputs, string schema) =>
        new(name, $"The {name} block.", Ports(inputs), configInputs, Ports(outputs), null, JsonElement.Parse(schema), []);

    private static string WithSettings(string graph)
    {
        var root = JsonNode.Parse(graph)!.AsObject();
        root["settings"] = new JsonObject { ["timeoutMs"] = 5000 };
        return root.ToJsonString();
    }

    private static IReadOnlyList<PortDescriptor> Ports(string[] names) => names.Select(n => new PortDescriptor(n, "any", n, true)).ToList();
}
