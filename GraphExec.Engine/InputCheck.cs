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
    /// Every problem at once, each at <c>/inputs/{name}</c>: a required input missing, a value of the wrong type and, when
    /// <paramref name="rejectUnknown"/> (a person filling a form), a name the graph has no input for. Webhooks pass false:
    /// third parties send more than a graph uses. Text anywhere in the inputs that cannot be stored (see
    /// <see cref="StorableText"/>) is the one problem reported when there is any.
    /// </summary>
    public static IReadOnlyList<ValidationError> Check(IReadOnlyList<GraphInput> inputs, JsonObject given, bool rejectUnknown)
    {
        // First: a name that is not Unicode text cannot even be looked up.
        if (StorableText.Find(given, "/inputs") is { } unstorable)
        {
            return [new ValidationError(unstorable.Pointer, ValidationCodes.InvalidValue, unstorable.Problem)];
        }

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

        return errors;
    }

    private static string Pointer(string name) => JsonPointer.Append("/inputs", name);
}
