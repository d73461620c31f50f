using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphExec.Engine.Json;

/// <summary>
/// Text that can be stored: executions keep their values as PostgreSQL <c>jsonb</c>, which has no U+0000, and .NET's JSON
/// reader refuses a string with an unpaired surrogate (an escape such as <c>\ud800</c> alone). Either would otherwise
/// fail far from its cause (a webhook answered 500, a run's final statement refused), so it is looked for where JSON
/// enters (run and schedule inputs, webhook bodies, graph documents) and where a block produces a value.
/// </summary>
public static class StorableText
{
    public const string NulProblem = "holds the character U+0000 (\\u0000), which PostgreSQL's jsonb cannot store";

    public const string SurrogateProblem = "holds an unpaired UTF-16 surrogate (such as \\ud800 alone), which is not Unicode text";

    private const string UnreadableName = "A property name here " + SurrogateProblem + ".";

    /// <summary>
    /// The first name or string at or under <paramref name="value"/> that cannot be stored: where (below
    /// <paramref name="pointer"/>) and a sentence that says why.
    /// </summary>
    public static (string Pointer, string Problem)? Find(JsonNode? value, string pointer)
    {
        switch (value)
        {
            case JsonObject properties:
                int count;
                try
                {
                    // A parsed object reads its names the first time it is used.
                    count = properties.Count;
                }
                catch (InvalidOperationException)
                {
                    return (pointer, UnreadableName);
                }

                for (var i = 0; i < count; i++)
                {
                    var property = properties.GetAt(i);

                    // A bad name is reported at its object: the pointer would carry the text that cannot be stored.
                    if (Problem(property.Key) is { } name)
                    {
                        return (pointer, $"A property name here {name}.");
                    }

                    if (Find(property.Value, JsonPointer.Append(pointer, property.Key)) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    if (Find(items[i], JsonPointer.Append(pointer, i)) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValue text when text.GetValueKind() == JsonValueKind.String:
                return Problem(text) is { } problem ? (pointer, $"This text {problem}.") : null;
            default:
                return null;
        }
    }

    /// <summary>The same for a parsed document, such as a graph.</summary>
    public static (string Pointer, string Problem)? Find(JsonElement value, string pointer)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return (pointer, UnreadableName);
                    }

                    if (Problem(name) is { } problem)
                    {
                        return (pointer, $"A property name here {problem}.");
                    }

                    if (Find(property.Value, JsonPointer.Append(pointer, name)) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (Find(item, JsonPointer.Append(pointer, index++)) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.String:
                try
                {
                    return Problem(value.GetString()!) is { } problem ? (pointer, $"This text {problem}.") : null;
                }
                catch (InvalidOperationException)
                {
                    return (pointer, $"This text {SurrogateProblem}.");
                }

            default:
                return null;
        }
    }

    private static string? Problem(JsonValue text)
    {
        try
        {
            return Problem(text.GetValue<string>());
        }
        catch (InvalidOperationException)
        {
            // A parsed string whose escapes make no Unicode text: reading it is what fails.
            return SurrogateProblem;
        }
    }

    /// <summary>Why <paramref name="text"/> cannot be stored, or null.</summary>
    public static string? Problem(string text)
    {
        var span = text.AsSpan();
        if (span.Contains('\0'))
        {
            return NulProblem;
        }

        for (var i = span.IndexOfAnyInRange('\uD800', '\uDFFF'); i >= 0 && i < span.Length; i++)
        {
            if (!char.IsSurrogate(span[i]))
            {
                continue;
            }

            if (!char.IsHighSurrogate(span[i]) || i + 1 == span.Length || !char.IsLowSurrogate(span[i + 1]))
            {
                return SurrogateProblem;
            }

            i++;
        }

        return null;
    }
}
