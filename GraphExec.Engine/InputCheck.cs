using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Engine;
using GraphExec.Engine.Blocks;
using GraphExec.Engine.Json;
using GraphExec.Engine.Validation;

namespace GraphExec.Engine;

/// <summary>Checks a run's inputs against the graph's input nodes before anything is stored.</summary>
public static class InputCheck
{
    /// <summary>
    /// Every problem at once, each at <c>/inputs/{name}</c>: a required input missing, a value of the wrong type, text
    /// anywhere in the inputs that cannot be stored (U+0000) and, when <paramref name="rejectUnknown"/> (a person filling
    /// a form), a name the graph has no input for. Webhooks pass false: third parties send more than a graph uses.
    /// </summary>
    public static IReadOnlyList<ValidationError> Check(IReadOnlyList<GraphInput> inputs, JsonObject given, bool rejectUnknown)
    {
        var errors = new List<ValidationError>();
        foreach (var input in inputs)
        {
            var pointer = Pointer(input.Name);
            if (!given.TryGetPropertyValue(input.Name, out var value))
            {
                if (input.Required)
                {
                    errors.Add(new ValidationError(pointer, ValidationCodes.MissingProperty, $"The graph needs the input '{input.Name}'."));
                }
            }
            else if (!input.Type.Accepts(value))
            {
                errors.Add(new ValidationError(pointer, ValidationCodes.InvalidType,
                    $"The input '{input.Name}' takes {input.Type.Describe()}, not {PortTypes.DescribeValue(value)}."));
            }
        }

        if (rejectUnknown)
        {
            var known = inputs.Select(input => input.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, _) in given)
            {
                if (!known.Contains(name))
                {
                    var expected = known.Count == 0 ? "it has none" : $"it has: {string.Join(", ", known.Order(StringComparer.Ordinal))}";
                    errors.Add(new ValidationError(Pointer(name), ValidationCodes.UnknownProperty,
                        $"The graph has no input '{name}'; {expected}."));
                }
            }
        }

        foreach (var (name, value) in given)
        {
            if (FindNul(Pointer(name), name, value) is { } at)
            {
                errors.Add(new ValidationError(at, ValidationCodes.InvalidValue,
                    "Text may not hold the character U+0000 (\\u0000): executions store their inputs as PostgreSQL jsonb, which has no such character."));
            }
        }

        return errors;
    }

    /// <summary>The pointer of the first name or string at or under <paramref name="value"/> that holds U+0000, if any.</summary>
    private static string? FindNul(string pointer, string name, JsonNode? value)
    {
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            return pointer;
        }

        return value switch
        {
            JsonObject properties => properties.Select(p => FindNul(JsonPointer.Append(pointer, p.Key), p.Key, p.Value)).FirstOrDefault(at => at is not null),
            JsonArray items => items.Select((item, i) => FindNul(JsonPointer.Append(pointer, i), "", item)).FirstOrDefault(at => at is not null),
            JsonValue text when text.GetValueKind() == JsonValueKind.String && text.GetValue<string>().Contains('\0', StringComparison.Ordinal) => pointer,
            _ => null,
        };
    }

    private static string Pointer(string name) => JsonPointer.Append("/inputs", name);
}
