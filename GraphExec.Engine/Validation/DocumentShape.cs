using System.Text.Json;
using GraphExec.Engine.Json;

namespace GraphExec.Engine.Validation;

/// <summary>
/// Checks that graph JSON has the shape of <see cref="Graphs.GraphDefinition"/> (properties, their JSON
/// types) and reports every mismatch, where a deserializer would stop at the first. Once it passes,
/// deserializing cannot fail.
/// </summary>
internal static class DocumentShape
{
    private static readonly Shape Graph = new("A graph",
    [
        new("name", Kind.String, Required: true),
        new("description", Kind.String),
        new("nodes", Kind.Array, Required: true),
        new("edges", Kind.Array, Required: true),
        new("settings", Kind.Object),
    ]);

    private static readonly Shape Settings = new("The settings",
    [
        new("errorGraphId", Kind.Uuid),
    ]);

    private static readonly Shape Node = new("A node",
    [
        new("id", Kind.String, Required: true),
        new("block", Kind.String, Required: true),
        new("config", Kind.Object),
        new("retry", Kind.Object),
        new("timeoutMs", Kind.Integer),
        new("onError", Kind.OnError),
    ]);

    private static readonly Shape Retry = new("A retry policy",
    [
        new("maxAttempts", Kind.Integer),
        new("delayMs", Kind.Integer),
        new("backoffMultiplier", Kind.Number),
        new("maxDelayMs", Kind.Integer),
        new("jitter", Kind.Boolean),
    ]);

    private static readonly Shape Edge = new("An edge",
    [
        new("from", Kind.String, Required: true),
        new("to", Kind.String, Required: true),
    ]);

    private enum Kind
    {
        String,
        Integer,
        Number,
        Boolean,
        Object,
        Array,
        OnError,
        Uuid,
    }

    /// <summary>Adds an error per shape problem; true when there were none.</summary>
    public static bool Check(JsonElement root, GraphLimits limits, List<ValidationError> errors)
    {
        var before = errors.Count;
        if (!Graph.Check(root, JsonPointer.Root, errors))
        {
            return false;
        }

        if (root.TryGetProperty("settings", out var settings) && settings.ValueKind == JsonValueKind.Object)
        {
            Settings.Check(settings, "/settings", errors);
        }

        // Stop before walking huge arrays: the counts alone are the problem.
        var tooMany = limits.CountErrors(Count(root, "nodes"), Count(root, "edges"));
        if (tooMany.Count > 0)
        {
            errors.AddRange(tooMany);
            return false;
        }

        foreach (var (node, pointer) in Items(root, "nodes"))
        {
            if (Node.Check(node, pointer, errors) && node.TryGetProperty("retry", out var retry))
            {
                Retry.Check(retry, JsonPointer.Append(pointer, "retry"), errors);
            }
        }

        foreach (var (edge, pointer) in Items(root, "edges"))
        {
            Edge.Check(edge, pointer, errors);
        }

        return errors.Count == before;
    }

    private static int Count(JsonElement root, string array) =>
        root.TryGetProperty(array, out var items) && items.ValueKind == JsonValueKind.Array ? items.GetArrayLength() : 0;

    private static IEnumerable<(JsonElement Item, string Pointer)> Items(JsonElement root, string array) =>
        root.TryGetProperty(array, out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Select((item, index) => (item, JsonPointer.Append("/" + array, index)))
            : [];

    private sealed record Property(string Name, Kind Kind, bool Required = false);

    private sealed class Shape(string what, Property[] properties)
    {
        private readonly string _known = string.Join(", ", properties.Select(p => p.Name));

        /// <summary>Checks one object; false when it is not an object at all.</summary>
        public bool Check(JsonElement element, string pointer, List<ValidationError> errors)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new ValidationError(pointer, ValidationCodes.InvalidType, $"{what} must be a JSON object, not {JsonDescriptions.Of(element.ValueKind)}."));
                return false;
            }

            foreach (var property in properties)
            {
                var at = JsonPointer.Append(pointer, property.Name);
                if (!element.TryGetProperty(property.Name, out var value))
                {
                    if (property.Required)
                    {
                        errors.Add(new ValidationError(at, ValidationCodes.MissingProperty, $"'{property.Name}' is required{Hint(property.Name)}."));
                    }
                }
                else if (Describe(property.Kind, value) is { } problem)
                {
                    errors.Add(new ValidationError(at, ValidationCodes.InvalidType, $"'{property.Name}' must be {problem}, not {Shown(value)}."));
                }
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                var at = JsonPointer.Append(pointer, property.Name);
                if (!seen.Add(property.Name))
                {
                    errors.Add(new ValidationError(at, ValidationCodes.InvalidValue, $"'{property.Name}' appears twice."));
                }
                else if (!properties.Any(p => p.Name == property.Name))
                {
                    errors.Add(new ValidationError(at, ValidationCodes.UnknownProperty, $"Unknown property '{property.Name}'. {what} has: {_known}."));
                }
            }

            return true;
        }

        private static string Shown(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String when value.GetString()!.Length <= 40 => $"\"{value.GetString()}\"",
            _ => JsonDescriptions.Of(value.ValueKind),
        };

        private static string Hint(string name) => name == "edges" ? " (an empty array when nothing is connected)" : string.Empty;

        /// <summary>What the value should have been, or null when it is right.</summary>
        private static string? Describe(Kind kind, JsonElement value) => kind switch
        {
            Kind.String when value.ValueKind != JsonValueKind.String => "a string",
            Kind.Integer when value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out _) => "a whole number",
            Kind.Number when value.ValueKind != JsonValueKind.Number || !double.IsFinite(value.GetDouble()) => "a number",
            Kind.Boolean when value.ValueKind is not (JsonValueKind.True or JsonValueKind.False) => "true or false",
            Kind.Object when value.ValueKind != JsonValueKind.Object => "an object",
            Kind.Array when value.ValueKind != JsonValueKind.Array => "an array",
            Kind.OnError when value.ValueKind != JsonValueKind.String || value.GetString() is not ("fail" or "continue") => "\"fail\" or \"continue\"",
            Kind.Uuid when value.ValueKind != JsonValueKind.String || !Guid.TryParse(value.GetString(), out _) => "a UUID",
            _ => null,
        };
    }
}
