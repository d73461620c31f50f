using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Engine;
using GraphExec.Engine.Json;

namespace GraphExec.Core.Executions;

/// <summary>The JSON text of what the Worker stores in <c>jsonb</c> columns.</summary>
public static class JsonText
{
    /// <summary>Values by name as one object, written straight from the engine's values without copying them.</summary>
    public static string Object(IEnumerable<KeyValuePair<string, JsonNode?>> values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in values)
            {
                writer.WritePropertyName(name);
                if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The error as stored, its message capped (see <see cref="ErrorMessages"/>).</summary>
    public static string? Error(ExecutionError? error) =>
        error is null ? null : JsonSerializer.Serialize(ErrorMessages.Capped(error), GraphExecJsonContext.Default.ExecutionError);

    /// <summary>
    /// The properties of a stored object, each value parsed on its own and ready to be shared between threads, so that the
    /// engine gets values without a parent object (as inputs and restored outputs).
    /// </summary>
    public static Dictionary<string, JsonNode?> Properties(string json)
    {
        using var document = JsonDocument.Parse(json);
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            values[property.Name] = JsonValues.Parse(property.Value);
        }

        return values;
    }
}
