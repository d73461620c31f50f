using System.Text.Json;
using GraphExec.Engine.Blocks.Expressions;
using GraphExec.Engine.Blocks.Templating;

namespace GraphExec.Engine.Blocks.Library;

/// <summary>Computes a value with an NCalc expression over its inputs.</summary>
internal sealed class ExpressionBlock() : Block<ExpressionConfig>(Definition, BlockConfigJsonContext.Default.ExpressionConfig)
{
    private static readonly BlockDescriptor Definition = new()
    {
        Name = "expression",
        Description = "Computes a value with an NCalc expression: arithmetic, comparisons, and/or/not, 'if(c, a, b)', 'x in (1, 2)', "
            + "and math functions (Abs, Round, Max, Pow...). Variables are inputs; '[order.total]' reads a value inside input 'order'. "
            + "It cannot call .NET, read files or use the network.",
        ConfigInputs = "One required input per variable the expression uses: '[order.total] * rate' adds inputs 'order' and 'rate'.",
        Outputs = [new PortDescriptor("result", PortType.Any, "The expression's value.")],
        ConfigSchema = JsonElement.Parse($$"""
            {
              "type": "object",
              "additionalProperties": false,
              "required": ["expression"],
              "properties": { "expression": { "type": "string", "minLength": 1, "maxLength": {{ExpressionProgram.MaxLength}}, "description": "The NCalc expression." } }
            }
            """),
        Examples =
        [
            new("A total with tax.", JsonElement.Parse("""{ "expression": "Round([order.total] * (1 + rate), 2)" }""")),
            new("A label.", JsonElement.Parse("""{ "expression": "if(score >= 50, 'pass', 'fail')" }""")),
        ],
    };

    protected override BlockNode Bind(ExpressionConfig config, ICollection<ConfigError> errors)
    {
        var ports = new VariablePorts();
        var program = ExpressionProgram.Compile(config.Expression, ports, "/expression", errors);
        return new Node(program!, ports.Ports);
    }

    private sealed class Node(ExpressionProgram program, IReadOnlyList<PortDescriptor> inputs) : BlockNode(inputs, Definition.Outputs)
    {
        public override ValueTask ExecuteAsync(NodeContext context)
        {
            context.SetOutput(0, program.EvaluateJson(context));
            return ValueTask.CompletedTask;
        }
    }
}

internal sealed record ExpressionConfig(string Expression);
