using System.Text.Json;
using System.Text.Json.Serialization;

namespace GraphExec.Live.Features.Executions;

/// <summary>
/// One event as the Worker serialized it (the contract's JSON), with what delivery needs to know read from it once per
/// instance; every subscriber is sent the same bytes.
/// </summary>
[JsonConverter(typeof(LiveEventConverter))]
public sealed class LiveEvent
{
    private const string CompletedType = "ExecutionCompleted";

    private LiveEvent(byte[] json, long sequence, DateTimeOffset timestamp, bool isCompletion)
    {
        Json = json;
        Sequence = sequence;
        Timestamp = timestamp;
        IsCompletion = isCompletion;
    }

    public byte[] Json { get; }

    public long Sequence { get; }

    public DateTimeOffset Timestamp { get; }

    /// <summary>The execution's final event: nothing follows it.</summary>
    public bool IsCompletion { get; }

    /// <summary>Reads the top-level <c>sequence</c>, <c>type</c> and <c>timestamp</c> without materializing the rest.</summary>
    /// <exception cref="JsonException">The bytes are not an event.</exception>
    public static LiveEvent Parse(byte[] json)
    {
        long? sequence = null;
        DateTimeOffset? timestamp = null;
        var isCompletion = false;
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("sequence"u8))
            {
                reader.Read();
                sequence = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                timestamp = reader.GetDateTimeOffset();
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                isCompletion = reader.ValueTextEquals(CompletedType);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new LiveEvent(
            json,
            sequence ?? throw new JsonException("A live event has no sequence."),
            timestamp ?? throw new JsonException("A live event has no timestamp."),
            isCompletion);
    }

    /// <summary>Writes the event's JSON as it is: the hub protocol sends it without serializing it again.</summary>
    private sealed class LiveEventConverter : JsonConverter<LiveEvent>
    {
        public override LiveEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Live events are only sent.");

        public override void Write(Utf8JsonWriter writer, LiveEvent value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Json, skipInputValidation: true);
    }
}
