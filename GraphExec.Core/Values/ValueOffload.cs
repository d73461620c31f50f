using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Engine.Json;

namespace GraphExec.Core.Values;

/// <summary>
/// Decides, without I/O, which top-level values go to blob storage and what is stored in their place: a value whose
/// JSON is longer than the inline threshold, or that is an object with a <c>$ref</c> property (so that a user's value is
/// never taken for a <see cref="ValueReference"/>), is replaced by its reference. Small values, nearly all of them, are
/// measured (a walk that stops early) and written straight to the output, costing no copy or hash.
/// </summary>
public static class ValueOffload
{
    /// <summary>
    /// JSON escapes a character in at most 6 bytes (<c>\u003C</c> for one byte of UTF-8): a value measured at no more
    /// than a sixth of the threshold cannot be over it once written, and needs no exact measure.
    /// </summary>
    private const int MaxEscapeGrowth = 6;

    /// <summary>Values by name as one JSON object to store, and the large values among them to write to blob storage first.</summary>
    /// <param name="stored">Values already written to blob storage by this run, with their references: not serialized again.</param>
    /// <exception cref="ValueTooLargeToStoreException">A value is over <see cref="ValueLimits.MaxValueBytes"/>.</exception>
    public static OffloadedObject Object(
        IEnumerable<KeyValuePair<string, JsonNode?>> values, ValueLimits limits, ConditionalWeakTable<JsonNode, ValueReference>? stored = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        List<LargeValue>? large = null;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in values)
            {
                writer.WritePropertyName(name);
                if (value is not null && stored is not null && stored.TryGetValue(value, out var known))
                {
                    known.WriteTo(writer);
                }
                else if (IsSmall(value, limits))
                {
                    Write(writer, value);
                }
                else if (Large(value, limits) is { } offloaded)
                {
                    if (offloaded.Json.Length > limits.MaxValueBytes)
                    {
                        throw new ValueTooLargeToStoreException(name, offloaded.Json.Length, limits.MaxValueBytes);
                    }

                    (large ??= []).Add(offloaded);
                    offloaded.Reference.WriteTo(writer);
                }
                else
                {
                    Write(writer, value);
                }
            }

            writer.WriteEndObject();
        }

        return new OffloadedObject(Encoding.UTF8.GetString(buffer.WrittenSpan), large ?? []);
    }

    /// <summary>Whether every one of these values is small for sure (see <see cref="IsSmall"/>): nothing to offload.</summary>
    public static bool AreSmall(IReadOnlyDictionary<string, JsonNode?> values, ValueLimits limits)
    {
        foreach (var (_, value) in values)
        {
            if (!IsSmall(value, limits))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The references among stored values by name (a <c>jsonb</c> column's object).</summary>
    public static IEnumerable<(string Name, ValueReference Reference)> References(IReadOnlyDictionary<string, JsonNode?> values) =>
        values.Select(v => (v.Key, Reference: ValueReference.From(v.Value))).Where(v => v.Reference is not null).Select(v => (v.Key, v.Reference!));

    /// <summary>The reference of a value whose JSON text is <paramref name="json"/>: its hash, length and preview.</summary>
    public static ValueReference Reference(ReadOnlyMemory<byte> json) =>
        new(Convert.ToHexStringLower(SHA256.HashData(json.Span)), json.Length, Preview(json.Span));

    /// <summary>The value's JSON text as it is stored in a blob (and hashed): the same writer options as every stored column.</summary>
    public static ReadOnlyMemory<byte> Serialize(JsonNode? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value);
        }

        return buffer.WrittenMemory;
    }

    /// <summary>Small for sure, by a measure that stops early: written as it is, with nothing to look at again.</summary>
    private static bool IsSmall(JsonNode? value, ValueLimits limits) =>
        !ValueReference.LooksLikeOne(value)
        && JsonValues.MeasureUpTo(value, limits.InlineThresholdBytes / MaxEscapeGrowth) <= limits.InlineThresholdBytes / MaxEscapeGrowth;

    /// <summary>
    /// A value that was not small for sure, measured exactly: its blob when it goes to blob storage, or null when it stays
    /// inline after all (written again then: values this near the threshold are rare, and a copy of one costs little).
    /// </summary>
    private static LargeValue? Large(JsonNode? value, ValueLimits limits)
    {
        var json = Serialize(value);
        return json.Length > limits.InlineThresholdBytes || ValueReference.LooksLikeOne(value) ? new LargeValue(Reference(json), json, value) : null;
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }

    /// <summary>The first <see cref="BlobOptions.PreviewBytes"/> of the JSON, cut back to a whole UTF-8 character.</summary>
    private static string Preview(ReadOnlySpan<byte> json)
    {
        if (json.Length <= BlobOptions.PreviewBytes)
        {
            return Encoding.UTF8.GetString(json);
        }

        var end = BlobOptions.PreviewBytes;
        while (end > 0 && (json[end] & 0xC0) == 0x80)
        {
            end--;
        }

        return Encoding.UTF8.GetString(json[..end]);
    }
}
