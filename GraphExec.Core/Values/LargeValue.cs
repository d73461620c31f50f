using System.Text.Json.Nodes;

namespace GraphExec.Core.Values;

/// <summary>A value to keep in blob storage: its reference, its JSON text (the blob's content), and the value itself.</summary>
public sealed record LargeValue(ValueReference Reference, ReadOnlyMemory<byte> Json, JsonNode? Value);

/// <summary>Values by name as one JSON object to store, large ones replaced by references, and the large values to write first.</summary>
public sealed record OffloadedObject(string Json, IReadOnlyList<LargeValue> Large);
