using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Engine.Blocks.Templating;
using GraphExec.Engine.Json;

namespace GraphExec.Engine.Blocks.Library;

/// <summary>Reads, sets or merges a value at a dotted path of a JSON document.</summary>
internal sealed class JsonBlock() : Block<JsonConfig>(Definition, BlockConfigJsonContext.Default.JsonConfig)
{
    private static readonly PortDescriptor Document = new("object", PortType.Any, "The JSON document to work on.", Required: true);
    private static readonly PortDescriptor Value = new("value", PortType.Any, "The value to set or merge in (set and merge only).", Required: true);

    private static readonly BlockDescriptor Definition = new()
    {
        Name = "json",
        Description = "Works on a JSON document at a dotted path ('customer.address.city', 'items.0'; empty for the whole document). "
            + "'get' reads the value there ('default' when missing). 'set' returns a copy with 'value' placed there, creating objects on the way. "
            + "'merge' returns a copy with the object 'value' merged deeply into the object there: objects merge key by key, anything else replaces.",
        Inputs = [Document],
        ConfigInputs = "'set' and 'merge' add the required input 'value'.",
        Outputs = [new PortDescriptor("result", PortType.Any, "The value read, or the new document.")],
        ConfigSchema = JsonElement.Parse("""
            {
              "type": "object",
              "additionalProperties": false,
              "required": ["operation"],
              "properties": {
                "operation": { "enum": ["get", "set", "merge"] },
                "path": { "type": "string", "maxLength": 1024, "description": "Dotted path; empty or absent for the whole document." },
                "default": { "description": "What 'get' returns when nothing is at the path (null if absent)." }
              }
            }
            """),
        Examples =
        [
            new("Read a nested value.", JsonElement.Parse("""{ "operation": "get", "path": "customer.address.city", "default": "unknown" }""")),
            new("Set a flag.", JsonElement.Parse("""{ "operation": "set", "path": "flags.vip" }""")),
            new("Merge settings into a document.", JsonElement.Parse("""{ "operation": "merge", "path": "settings" }""")),
        ],
    };

    protected override BlockNode Bind(JsonConfig config, ICollection<ConfigError> errors)
    {
        if (!ValuePath.TryParse(config.Path ?? string.Empty, out var path))
        {
            errors.Add(new ConfigError("/path", "Not a path: write names or indices separated by dots, as in 'items.0.name'."));
        }

        if (config.Operation != "get" && config.Default is not null)
        {
            errors.Add(new ConfigError("/default", "'default' only applies to the 'get' operation."));
        }

        return config.Operation switch
        {
            "get" => new Get(path, config.Default is { } fallback ? JsonValues.Parse(fallback) : null),
            "set" => new Set(path),
            _ => new Merge(path),
        };
    }

    private sealed class Get(ValuePath path, JsonNode? fallback) : BlockNode([Document], Definition.Outputs)
    {
        public override ValueTask ExecuteAsync(NodeContext context)
        {
            context.SetOutput(0, path.TryGet(context.GetInput(0), out var value) ? value : fallback);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Set(ValuePath path) : BlockNode([Document, Value], Definition.Outputs)
    {
        public override ValueTask ExecuteAsync(NodeContext context)
        {
            var document = context.GetInput(0)?.DeepClone();
            context.SetOutput(0, path.Set(document, context.GetInput(1)?.DeepClone()));
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Merge(ValuePath path) : BlockNode([Document, Value], Definition.Outputs)
    {
        public override ValueTask ExecuteAsync(NodeContext context)
        {
            if (context.GetInput(1) is not JsonObject patch)
            {
                throw new BlockException($"'merge' needs an object at input 'value', not {PortTypes.DescribeValue(context.GetInput(1))}.");
            }

            var document = context.GetInput(0)?.DeepClone();
            var target = path.TryGet(document, out var existing) && existing is JsonObject obj ? obj : null;
            if (target is null)
            {
                context.SetOutput(0, path.Set(document, patch.DeepClone()));
            }
            else
            {
                MergeInto(target, patch);
                context.SetOutput(0, document);
            }

            return ValueTask.CompletedTask;
        }

        private static void MergeInto(JsonObject target, JsonObject patch)
        {
            foreach (var (name, value) in patch)
            {
                if (value is JsonObject inner && target[name] is JsonObject existing)
                {
                    MergeInto(existing, inner);
                }
                else
                {
                    target[name] = value?.DeepClone();
                }
            }
        }
    }
}

internal sealed record JsonConfig(string Operation, string? Path, JsonElement? Default);
