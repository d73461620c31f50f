using System.Text.Json;
using GraphExec.Engine.Blocks.Expressions;
using GraphExec.Engine.Blocks.Templating;
using GraphExec.Engine.Json;

namespace GraphExec.Engine.Blocks.Library;

/// <summary>Fires <c>true</c> or <c>false</c>; nodes behind the other port are skipped.</summary>
internal sealed class BranchBlock() : Block<BranchConfig>(Definition, BlockConfigJsonContext.Default.BranchConfig)
{
    private static readonly PortDescriptor Value = new("value", PortType.Any, "The value passed on; also tested when there is no condition.");

    private static readonly BlockDescriptor Definition = new()
    {
        Name = "branch",
        Description = "Chooses a path. Evaluates 'condition' (an expression, as in the expression block, that must give true or false) "
            + "or, without one, the truth of input 'value' (false for null, false, 0, \"\" and []). Fires 'value' (null when not connected) "
            + "on port 'true' or port 'false'; the nodes that need the other port are skipped.",
        Inputs = [Value],
        ConfigInputs = "One required input per variable the condition uses, besides 'value'.",
        Outputs =
        [
            new PortDescriptor("true", PortType.Any, "Fires 'value' when the condition holds."),
            new PortDescriptor("false", PortType.Any, "Fires 'value' when it does not."),
        ],
        ConfigSchema = JsonElement.Parse($$"""
            {
              "type": "object",
              "additionalProperties": false,
              "properties": { "condition": { "type": "string", "minLength": 1, "maxLength": {{ExpressionProgram.MaxLength}}, "description": "An expression giving true or false." } }
            }
            """),
        Examples =
        [
            new("Large orders go one way.", JsonElement.Parse("""{ "condition": "[value.total] > 1000" }""")),
            new("Test the value itself.", JsonElement.Parse("{}")),
        ],
    };

    protected override BlockNode Bind(BranchConfig config, ICollection<ConfigError> errors)
    {
        var ports = new VariablePorts([Value]);
        var condition = config.Condition is { } text ? ExpressionProgram.Compile(text, ports, "/condition", errors) : null;
        return new Node(condition, ports.Ports);
    }

    private sealed class Node(ExpressionProgram? condition, IReadOnlyList<PortDescriptor> inputs) : BlockNode(inputs, Definition.Outputs)
    {
        public override ValueTask ExecuteAsync(NodeContext context)
        {
            var value = context.GetInput(0);
            bool holds;
            if (condition is null)
            {
                holds = JsonValues.IsTruthy(value);
            }
            else
            {
                holds = condition.Evaluate(context) as bool?
                    ?? throw new BlockException("The condition must give true or false.");
            }

            context.SetOutput(holds ? 0 : 1, value);
            return ValueTask.CompletedTask;
        }
    }
}

internal sealed record BranchConfig(string? Condition);
