using System.Text;
using System.Text.Json.Nodes;
using GraphExec.Engine.Json;

namespace GraphExec.Engine.Blocks.Templating;

/// <summary>
/// Text with placeholders: <c>Hello, {{who}}!</c>, <c>{{user.address.city}}</c>. The first segment of a
/// placeholder names an input port, the rest is a path into its value; <c>{{secrets.NAME}}</c> is the owner's secret
/// NAME, read when the node runs. Strings are inserted as they are, missing values as nothing, anything else as
/// compact JSON.
/// </summary>
public sealed class Template
{
    private const int MaxCachedCapacity = 16 * 1024;

    [ThreadStatic]
    private static StringBuilder? t_builder;

    private readonly Part[] _parts;

    private Template(Part[] parts) => _parts = parts;

    /// <summary>True when the template is one placeholder and nothing else, so it can stand for a whole JSON value.</summary>
    public bool IsSingleValue => _parts is [{ Literal: null }];

    /// <summary>Parses a template, adding its variables to <paramref name="ports"/>; null after reporting errors at <paramref name="pointer"/>.</summary>
    public static Template? Parse(string text, VariablePorts ports, string pointer, ICollection<ConfigError> errors)
    {
        var parts = new List<Part>();
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(new Part(text[position..], -1, ValuePath.Empty));
                break;
            }

            if (open > position)
            {
                parts.Add(new Part(text[position..open], -1, ValuePath.Empty));
            }

            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                errors.Add(new ConfigError(pointer, $"The '{{{{' at character {open + 1} is never closed with '}}}}'."));
                return null;
            }

            var variable = text[(open + 2)..close].Trim();
            var dot = variable.IndexOf('.');
            var root = dot < 0 ? variable : variable[..dot];
            if (!ValuePath.TryParse(variable, out var full) || full.IsEmpty)
            {
                errors.Add(new ConfigError(pointer, $"'{text[open..(close + 2)]}' at character {open + 1} is not a variable: "
                    + "write a name, optionally followed by '.' and a property or index, as in {{user.name}}."));
                return null;
            }

            _ = ValuePath.TryParse(dot < 0 ? string.Empty : variable[(dot + 1)..], out var path);
            if (root == VariablePorts.SecretsRoot)
            {
                if (path.Segments.Count != 1)
                {
                    errors.Add(new ConfigError(pointer, $"'{text[open..(close + 2)]}' at character {open + 1} does not name one secret: write {{{{secrets.NAME}}}}."));
                    return null;
                }

                ports.UseSecret(path.Segments[0]);
                parts.Add(new Part(null, -1, path, path.Segments[0]));
            }
            else
            {
                parts.Add(new Part(null, ports.PortOf(root), path));
            }

            position = close + 2;
        }

        return new Template([.. parts]);
    }

    public string Render(in NodeContext context) => Render(context, null);

    /// <summary>
    /// The text, built piece by piece; it stops with <see cref="ValueTooLargeException"/> once it is longer than the value
    /// limit (or than what <paramref name="budget"/> has left), so that a template repeating a large input never builds
    /// the whole result first.
    /// </summary>
    internal string Render(in NodeContext context, RenderBudget? budget)
    {
        if (_parts is [{ Literal: { } only }])
        {
            budget?.Spend(only.Length);
            return only;
        }

        var builder = t_builder ?? new StringBuilder();
        t_builder = null;
        foreach (var part in _parts)
        {
            var piece = part.Literal ?? JsonValues.ToText(part.Evaluate(context));
            // Characters, a lower bound of the UTF-8 bytes: the exact size is checked on the finished value.
            if (builder.Length + piece.Length > context.MaxValueBytes)
            {
                throw new ValueTooLargeException(context.MaxValueBytes);
            }

            budget?.Spend(piece.Length);
            builder.Append(piece);
        }

        var text = builder.ToString();
        if (builder.Capacity <= MaxCachedCapacity)
        {
            t_builder = builder.Clear();
        }

        return text;
    }

    /// <summary>The value of a single-placeholder template, keeping its JSON type.</summary>
    public JsonNode? Evaluate(in NodeContext context) => _parts[0].Evaluate(context);

    private readonly record struct Part(string? Literal, int Port, ValuePath Path, string? Secret = null)
    {
        public JsonNode? Evaluate(in NodeContext context) =>
            Secret is not null ? JsonValue.Create(context.GetSecret(Secret))
            : Path.TryGet(context.GetInput(Port), out var value) ? value : null;
    }
}
