using System.Globalization;
using System.Text.Json.Nodes;
using GraphExec.Engine.Blocks.Templating;
using GraphExec.Engine.Json;
using NCalc;
using NCalc.Exceptions;
using NCalc.Factories;
using NCalc.Handlers;
using NCalc.Helpers;
using NCalc.Visitors;

namespace GraphExec.Engine.Blocks.Expressions;

/// <summary>
/// An NCalc expression over a node's inputs: arithmetic, comparison, logic, <c>if</c>, <c>in</c> and
/// the math functions. NCalc has no reflection, no member access and no I/O, so a graph author
/// cannot reach .NET through it. Variables are inputs; <c>[user.name]</c> reads a path inside one.
/// Parsed once per node; each evaluation borrows a cached evaluator, since NCalc's are not thread-safe.
/// </summary>
public sealed class ExpressionProgram
{
    public const int MaxLength = 4096;

    // Parlot's parser recurses per nesting level and per prefix operator, and NCalc's visitors per level of the tree:
    // bounding both, without recursing to measure them, keeps a hostile graph from overflowing a thread's stack (which
    // would end the whole process, every run on it with it).
    private const int MaxNesting = 64;

    private const int MaxDepth = 128;

    private static readonly HashSet<string> Functions = [.. BuiltInFunctionHelper.GetBuiltInFunctionNames()];

    private readonly string _text;
    private readonly LogicalExpression _parsed;
    private readonly Dictionary<string, (int Port, ValuePath Path)> _variables;
    private Evaluator? _spare;

    private ExpressionProgram(string text, LogicalExpression parsed, Dictionary<string, (int Port, ValuePath Path)> variables)
    {
        _text = text;
        _parsed = parsed;
        _variables = variables;
    }

    /// <summary>Parses an expression, adding its variables to <paramref name="ports"/>; null after reporting errors at <paramref name="pointer"/>.</summary>
    public static ExpressionProgram? Compile(string text, VariablePorts ports, string pointer, ICollection<ConfigError> errors)
    {
        if (Nesting(text) > MaxNesting)
        {
            errors.Add(new ConfigError(pointer, $"The expression nests parentheses more than {MaxNesting} levels deep."));
            return null;
        }

        if (PrefixRun(text) > MaxNesting)
        {
            errors.Add(new ConfigError(pointer, $"The expression chains more than {MaxNesting} prefix operators (!, not, -, +, ~)."));
            return null;
        }

        LogicalExpression parsed;
        List<string> parameters;
        List<string> functions;
        try
        {
            parsed = LogicalExpressionFactory.Create(text, new LogicalExpressionParserOptions(), CultureInfo.InvariantCulture);
            if (Depth(parsed) > MaxDepth)
            {
                errors.Add(new ConfigError(pointer, $"The expression is more than {MaxDepth} operations deep; split it over several nodes."));
                return null;
            }

            var probe = new Expression(parsed);
            parameters = probe.GetParameterNames();
            functions = probe.GetFunctionNames();
        }
        catch (Exception ex) when (ex is NCalcException or FormatException or OverflowException or ArgumentException or InvalidOperationException)
        {
            errors.Add(new ConfigError(pointer, $"Not a valid expression: {Innermost(ex).Message}"));
            return null;
        }

        var unknown = functions.Where(name => !Functions.Contains(name)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            errors.Add(new ConfigError(pointer, $"Unknown function {string.Join(", ", unknown)}. Available: {string.Join(", ", Functions.Order(StringComparer.Ordinal))}."));
            return null;
        }

        var variables = new Dictionary<string, (int, ValuePath)>(StringComparer.Ordinal);
        foreach (var name in parameters.Where(name => name != "null").Distinct())
        {
            var dot = name.IndexOf('.');
            var root = dot < 0 ? name : name[..dot];
            if (!ValuePath.TryParse(name, out _) || !ValuePath.TryParse(dot < 0 ? string.Empty : name[(dot + 1)..], out var path))
            {
                errors.Add(new ConfigError(pointer, $"'{name}' is not a variable: write a name, or [name.path] to read inside a value."));
                return null;
            }

            if (root == VariablePorts.SecretsRoot)
            {
                errors.Add(new ConfigError(pointer, "Secrets are read in templates only ({{secrets.NAME}} in an http or template block), not in expressions."));
                return null;
            }

            variables[name] = (ports.PortOf(root), path);
        }

        return new ExpressionProgram(text, parsed, variables);
    }

    /// <summary>Evaluates to a .NET value (bool, string, number, list or null).</summary>
    /// <exception cref="BlockException">The expression failed on these inputs.</exception>
    public object? Evaluate(in NodeContext context)
    {
        var evaluator = Interlocked.Exchange(ref _spare, null) ?? new Evaluator(this);
        try
        {
            return evaluator.Evaluate(context);
        }
        catch (Exception ex) when (Innermost(ex) is ValueTooLargeException tooLarge && !ReferenceEquals(ex, tooLarge))
        {
            throw tooLarge;
        }
        catch (Exception ex) when (ex is NCalcException or FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            throw new BlockException($"Evaluating '{_text}' failed: {Innermost(ex).Message}", ex);
        }
        finally
        {
            _spare = evaluator;
        }
    }

    /// <summary>Evaluates to a JSON value.</summary>
    /// <exception cref="BlockException">The expression failed, or its result has no JSON form.</exception>
    public JsonNode? EvaluateJson(in NodeContext context)
    {
        var result = Evaluate(context);
        try
        {
            return JsonValues.FromClr(result);
        }
        catch (FormatException ex)
        {
            throw new BlockException($"Evaluating '{_text}' failed: {ex.Message}", ex);
        }
    }

    /// <summary>The longest run of prefix operators outside quotes, spaces between them ignored.</summary>
    private static int PrefixRun(string text)
    {
        int run = 0, longest = 0;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
                run = 0;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c is '!' or '-' or '+' or '~')
            {
                longest = Math.Max(longest, ++run);
            }
            else if (IsNotKeyword(text, i))
            {
                longest = Math.Max(longest, ++run);
                i += 2;
            }
            else if (!char.IsWhiteSpace(c))
            {
                run = 0;
            }
        }

        return longest;
    }

    private static bool IsNotKeyword(string text, int at) =>
        string.Compare(text, at, "not", 0, 3, StringComparison.OrdinalIgnoreCase) == 0
        && (at == 0 || !char.IsLetterOrDigit(text[at - 1]))
        && (at + 3 == text.Length || !char.IsLetterOrDigit(text[at + 3]));

    /// <summary>The depth of the parsed tree, measured with a stack of its own rather than by recursion.</summary>
    private static int Depth(LogicalExpression root)
    {
        var deepest = 0;
        var pending = new Stack<(LogicalExpression Node, int Depth)>();
        pending.Push((root, 1));
        while (pending.TryPop(out var item) && deepest <= MaxDepth)
        {
            deepest = Math.Max(deepest, item.Depth);
            switch (item.Node)
            {
                case BinaryExpression binary:
                    pending.Push((binary.LeftExpression, item.Depth + 1));
                    pending.Push((binary.RightExpression, item.Depth + 1));
                    break;
                case UnaryExpression unary:
                    pending.Push((unary.Expression, item.Depth + 1));
                    break;
                case TernaryExpression ternary:
                    pending.Push((ternary.LeftExpression, item.Depth + 1));
                    pending.Push((ternary.MiddleExpression, item.Depth + 1));
                    pending.Push((ternary.RightExpression, item.Depth + 1));
                    break;
                case Function function:
                    for (var i = 0; i < function.Parameters.Count; i++)
                    {
                        pending.Push((function.Parameters[i], item.Depth + 1));
                    }

                    break;
                case LogicalExpressionList list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        pending.Push((list[i], item.Depth + 1));
                    }

                    break;
            }
        }

        return deepest;
    }

    private static int Nesting(string text)
    {
        int depth = 0, deepest = 0;
        char? quote = null;
        foreach (var c in text)
        {
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c is '(' or '[' or '{')
            {
                deepest = Math.Max(deepest, ++depth);
            }
            else if (c is ')' or ']' or '}')
            {
                depth--;
            }
        }

        return deepest;
    }

    private static Exception Innermost(Exception ex) => ex.InnerException is { } inner ? Innermost(inner) : ex;

    /// <summary>One reusable NCalc expression whose variables read the node being evaluated.</summary>
    private sealed class Evaluator
    {
        private readonly ExpressionProgram _program;
        private readonly BoundedExpression _expression;
        private NodeContext _context;

        public Evaluator(ExpressionProgram program)
        {
            _program = program;
            _expression = new BoundedExpression(program._parsed, ExpressionOptions.OverflowProtection | ExpressionOptions.AllowNullParameter);
            _expression.EvaluateParameter += ReadVariable;
        }

        public object? Evaluate(in NodeContext context)
        {
            _context = context;
            _expression.MaxTextLength = context.MaxValueBytes;
            try
            {
                return _expression.Evaluate(context.CancellationToken);
            }
            finally
            {
                _context = default;
            }
        }

        private void ReadVariable(string name, ParameterEventArgs args)
        {
            if (!_program._variables.TryGetValue(name, out var variable))
            {
                args.Result = null;
                return;
            }

            args.Result = variable.Path.TryGet(_context.GetInput(variable.Port), out var value) ? JsonValues.ToClr(value) : null;
        }
    }

    /// <summary>
    /// An expression whose every operation is held to the value limit as it produces its result: <c>s + s + …</c> over a
    /// large input stops at the first concatenation past the limit instead of building up to 128 times the input first.
    /// A text of more UTF-16 units than the limit has bytes is over it whatever its encoding.
    /// </summary>
    private sealed class BoundedExpression(LogicalExpression parsed, ExpressionOptions options) : Expression(parsed, options)
    {
        private static readonly EvaluationVisitorFactory Visitors = new();

        public long MaxTextLength { get; set; } = ExecutionOptions.DefaultMaxValueBytes;

        protected override EvaluationVisitor CreateEvaluationVisitor(ExpressionContext context, CancellationToken cancellationToken) =>
            new BoundedVisitor(context, EvaluationOptions, CultureInfo, EvaluationVisitorFactory ?? Visitors, cancellationToken, MaxTextLength);
    }

    private sealed class BoundedVisitor(
        ExpressionContext context, ExpressionEvaluationOptions options, CultureInfo culture, IEvaluationVisitorFactory factory,
        CancellationToken cancellationToken, long maxTextLength)
        : EvaluationVisitor(context, options, culture, factory, cancellationToken)
    {
        public override object? Visit(BinaryExpression expression) => Bounded(base.Visit(expression));

        public override object? Visit(Function function) => Bounded(base.Visit(function));

        private object? Bounded(object? value) =>
            value is string text && text.Length > maxTextLength ? throw new ValueTooLargeException(maxTextLength) : value;
    }
}
