using System.Collections;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphExec.Engine.Json;

/// <summary>Conversions between the JSON values that flow along edges and text, truth and .NET values.</summary>
public static class JsonValues
{
    /// <summary>How a value reads inside text: strings as they are, null as nothing, the rest as compact JSON.</summary>
    public static string ToText(JsonNode? value) => value switch
    {
        null => string.Empty,
        JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String => scalar.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    /// <summary>False for null, false, 0, "" and []; true otherwise.</summary>
    public static bool IsTruthy(JsonNode? value) => value switch
    {
        null => false,
        JsonArray array => array.Count > 0,
        JsonObject => true,
        _ => value.GetValueKind() switch
        {
            JsonValueKind.False or JsonValueKind.Null => false,
            JsonValueKind.String => value.GetValue<string>().Length > 0,
            JsonValueKind.Number => ToNumber(value.AsValue()) is not (0L or 0.0),
            _ => true,
        },
    };

    /// <summary>Parses JSON into a value that many threads may read at once (see <see cref="Materialize"/>).</summary>
    public static JsonNode? Parse(JsonElement json) => Materialize(JsonNode.Parse(json.GetRawText()));

    /// <summary>
    /// Builds the lazily created children of a parsed value now. A JsonNode fills in its children on
    /// first read, which is not thread-safe, and values are shared by every node an output feeds, some
    /// of them running on other threads; so values are materialized once, where they enter a run.
    /// </summary>
    public static JsonNode? Materialize(JsonNode? value)
    {
        switch (value)
        {
            case JsonObject obj:
                for (var i = 0; i < obj.Count; i++)
                {
                    Materialize(obj.GetAt(i).Value);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Materialize(array[i]);
                }

                break;
        }

        return value;
    }

    /// <summary>The .NET value an expression works with: string, long, double, bool, a list, or null.</summary>
    public static object? ToClr(JsonNode? value)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonArray array:
                return array.Select(ToClr).ToList();
            case JsonObject:
                return value;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => ToNumber(value.AsValue()),
            _ => null,
        };
    }

    /// <summary>
    /// A number as a long when it is whole and fits, else as a double. A JsonValue only converts to the
    /// .NET type it was made from (an int is not a long), so the common types are tried before the text.
    /// </summary>
    public static object ToNumber(JsonValue number)
    {
        if (number.TryGetValue<int>(out var small))
        {
            return (long)small;
        }

        if (number.TryGetValue<long>(out var integer))
        {
            return integer;
        }

        if (number.TryGetValue<double>(out var real))
        {
            return real;
        }

        var text = number.ToJsonString();
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out integer)
            ? integer
            : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>The JSON value of an expression's result.</summary>
    /// <exception cref="FormatException">The result has no JSON form (NaN, infinity).</exception>
    public static JsonNode? FromClr(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        int or long or short or byte or sbyte or ushort or uint => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ulong big => JsonValue.Create(big),
        decimal number => JsonValue.Create(number),
        double or float => FromDouble(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        DateTime time => JsonValue.Create(time.ToString("O", CultureInfo.InvariantCulture)),
        DateTimeOffset time => JsonValue.Create(time.ToString("O", CultureInfo.InvariantCulture)),
        TimeSpan span => JsonValue.Create(span.ToString("c", CultureInfo.InvariantCulture)),
        IEnumerable items => new JsonArray([.. items.Cast<object?>().Select(FromClr)]),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    /// <summary>
    /// The size of <paramref name="value"/> as JSON, measured only up to <paramref name="limit"/>: more than it means over.
    /// Walks the value and stops as soon as the limit is passed, so a huge value costs no more than the limit.
    /// </summary>
    public static long MeasureUpTo(JsonNode? value, long limit) => limit - Spend(value, limit);

    private static long Spend(JsonNode? value, long budget)
    {
        switch (value)
        {
            case null:
                return budget - 4;
            case JsonObject obj:
                budget -= 2;

                // Indexing instead of foreach: the enumerator is an interface and would be allocated.
                for (var i = 0; i < obj.Count && budget >= 0; i++)
                {
                    var (name, child) = obj.GetAt(i);
                    budget = Spend(child, budget - TextBytes(name) - 4);
                }

                return budget;
            case JsonArray array:
                budget -= 2;
                for (var i = 0; i < array.Count && budget >= 0; i++)
                {
                    budget = Spend(array[i], budget - 1);
                }

                return budget;
            default:
                if (value.GetValueKind() != JsonValueKind.String)
                {
                    return budget - 24;
                }

                // A parsed value keeps its JSON text: measure that rather than allocate the string.
                return value.AsValue().TryGetValue<JsonElement>(out var element)
                    ? budget - JsonMarshal.GetRawUtf8Value(element).Length
                    : budget - TextBytes(value.GetValue<string>()) - 2;
        }
    }

    private static long TextBytes(string text) => Encoding.UTF8.GetByteCount(text);

    private static JsonValue FromDouble(double number) => double.IsFinite(number)
        ? JsonValue.Create(number)
        : throw new FormatException($"The result {number.ToString(CultureInfo.InvariantCulture)} has no JSON form.");
}
