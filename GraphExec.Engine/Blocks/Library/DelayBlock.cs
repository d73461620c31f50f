using System.Text.Json;

namespace GraphExec.Engine.Blocks.Library;

/// <summary>Waits, then passes its input on. Cancelling the run ends the wait.</summary>
internal sealed class DelayBlock() : Block<DelayConfig>(Definition, BlockConfigJsonContext.Default.DelayConfig)
{
    private const int MaxMilliseconds = 24 * 60 * 60 * 1000;

    private static readonly BlockDescriptor Definition = new()
    {
        Name = "delay",
        Description = "Waits 'milliseconds' (at most a day), then fires 'value' (null when not connected). Cancelling the execution ends the wait.",
        Inputs = [new PortDescriptor("value", PortType.Any, "The value to pass on.")],
        Outputs = [new PortDescriptor("value", PortType.Any, "The same value, later.")],
        ConfigSchema = JsonElement.Parse($$"""
            {
              "type": "object",
              "additionalProperties": false,
              "required": ["milliseconds"],
              "properties": { "milliseconds": { "type": "integer", "minimum": 0, "maximum": {{MaxMilliseconds}} } }
            }
            """),
        Examples = [new("Wait two seconds.", JsonElement.Parse("""{ "milliseconds": 2000 }"""))],
    };

    protected override BlockNode Bind(DelayConfig config, ICollection<ConfigError> errors) =>
        new Node(TimeSpan.FromMilliseconds(config.Milliseconds));

    private sealed class Node(TimeSpan delay) : BlockNode(Definition.Inputs, Definition.Outputs)
    {
        public override async ValueTask ExecuteAsync(NodeContext context)
        {
            await Task.Delay(delay, context.TimeProvider, context.CancellationToken).ConfigureAwait(false);
            context.SetOutput(0, context.GetInput(0));
        }
    }
}

internal sealed record DelayConfig(int Milliseconds);
