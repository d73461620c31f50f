using System.Globalization;
using System.Text.Json.Nodes;
using GraphExec.Engine.Graphs;

namespace GraphExec.Engine.Blocks.Templating;

/// <summary>
/// A dotted path into a JSON value: <c>address.city</c>, <c>items.0.name</c>. A segment of digits
/// indexes an array and names a property of an object.
/// </summary>
public sealed class ValuePath
{
    private readonly string[] _segments;

    private ValuePath(string text, string[] segments)
    {
        Text = text;
        _segments = segments;
    }

    public static ValuePath Empty { get; } = new(string.Empty, []);

    public string Text { get; }

    public bool IsEmpty => _segments.Length == 0;

    public IReadOnlyList<string> Segments => _segments;

    /// <summary>Parses a path; an empty string is the value itself.</summary>
    public static bool TryParse(string text, out ValuePath path)
    {
        path = Empty;
        if (text.Length == 0)
        {
            return true;
        }

        var segments = text.Split('.');
        if (!segments.All(segment => Names.IsValid(segment)))
        {
            return false;
        }

        path = new ValuePath(text, segments);
        return true;
    }

    /// <summary>The value at the path, or false when some segment is missing.</summary>
    public bool TryGet(JsonNode? root, out JsonNode? value)
    {
        value = root;
        foreach (var segment in _segments)
        {
            switch (value)
            {
                case JsonObject obj when obj.TryGetPropertyValue(segment, out var child):
                    value = child;
                    break;
                case JsonArray array when TryIndex(segment, array.Count, out var index):
                    value = array[index];
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Sets the value at the path inside <paramref name="root"/> (which the caller owns), creating
    /// objects along the way; returns the new root (the value itself for the empty path).
    /// </summary>
    public JsonNode? Set(JsonNode? root, JsonNode? value)
    {
        if (_segments.Length == 0)
        {
            return value;
        }

        root ??= new JsonObject();
        var parent = root;
        for (var i = 0; i < _segments.Length; i++)
        {
            var segment = _segments[i];
            var last = i == _segments.Length - 1;
            switch (parent)
            {
                case JsonArray array when TryIndex(segment, array.Count + 1, out var index):
                    if (last)
                    {
                        SetItem(array, index, value);
                        return root;
                    }

                    var nextInArray = index < array.Count ? array[index] : null;
                    if (nextInArray is not (JsonObject or JsonArray))
                    {
                        nextInArray = new JsonObject();
                        SetItem(array, index, nextInArray);
                    }

                    parent = nextInArray;
                    break;
                case JsonObject obj:
                    if (last)
                    {
                        obj[segment] = value;
                        return root;
                    }

                    if (!obj.TryGetPropertyValue(segment, out var next) || next is not (JsonObject or JsonArray))
                    {
                        next = new JsonObject();
                        obj[segment] = next;
                    }

                    parent = next;
                    break;
                default:
                    throw new BlockException($"Cannot set '{Text}': '{string.Join('.', _segments[..i])}' is not an object or array.");
            }
        }

        return root;
    }

    public override string ToString() => Text;

    private static void SetItem(JsonArray array, int index, JsonNode? value)
    {
        if (index == array.Count)
        {
            array.Add(value);
        }
        else
        {
            array[index] = value;
        }
    }

    private static bool TryIndex(string segment, int count, out int index) =>
        int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index < count;
}
