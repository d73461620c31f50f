using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using GraphExec.Core.Executions;

namespace GraphExec.Core.Values;

/// <summary>
/// One execution's values on their way to and from storage: offloads the large ones to blob storage before the rows that
/// reference them are written, and resolves references back to values where a run reads stored values. A value flowing
/// from a node's output into the next node's input and into the execution's outputs is hashed and written once: the run
/// remembers the values (by identity) and the keys it has written.
/// </summary>
public sealed class ExecutionValues(ExecutionBlobStore blobs, ValueLimits limits, ExecutionKey execution)
{
    private readonly ConcurrentDictionary<string, byte> _written = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<JsonNode, ValueReference> _stored = [];

    public ExecutionKey Execution => execution;

    /// <summary>
    /// Values by name as the JSON object to store; the large ones are written to blob storage first, so that a row never
    /// references a blob that is not there.
    /// </summary>
    /// <exception cref="ValueTooLargeToStoreException">A value is over the maximum size; nothing of it was written.</exception>
    public async Task<StoredObject> StoreAsync(IEnumerable<KeyValuePair<string, JsonNode?>> values, CancellationToken cancellationToken)
    {
        var all = values as IReadOnlyCollection<KeyValuePair<string, JsonNode?>> ?? [.. values];
        var offloaded = ValueOffload.Object(all, limits, _stored);
        var referenced = offloaded.Large.Count > 0 || all.Any(v => v.Value is not null && _stored.TryGetValue(v.Value, out _));
        if (offloaded.Large.Count > 0)
        {
            await Task.WhenAll(offloaded.Large
                .DistinctBy(value => value.Reference.Key)
                .Where(value => !_written.ContainsKey(value.Reference.Key))
                .Select(value => blobs.WriteAsync(execution, value, cancellationToken)));
            foreach (var value in offloaded.Large)
            {
                _written.TryAdd(value.Reference.Key, 0);
                if (value.Value is not null)
                {
                    _stored.AddOrUpdate(value.Value, value.Reference);
                }
            }
        }

        return new StoredObject(offloaded.Json, referenced);
    }

    /// <summary>A stored object's values by name, references resolved to the values they stand for.</summary>
    public Task<Dictionary<string, JsonNode?>> LoadAsync(string json, CancellationToken cancellationToken) =>
        ResolveAsync(JsonText.Properties(json), cancellationToken);

    /// <summary>Replaces the references among stored values by name with the values they stand for, read from blob storage.</summary>
    public async Task<Dictionary<string, JsonNode?>> ResolveAsync(Dictionary<string, JsonNode?> values, CancellationToken cancellationToken)
    {
        foreach (var (name, reference) in ValueOffload.References(values).ToList())
        {
            var value = await blobs.ReadAsync(execution, reference.Key, cancellationToken);
            values[name] = value;
            // Stored already: writing it again (as an input of the next node, say) costs nothing.
            _written.TryAdd(reference.Key, 0);
            if (value is not null)
            {
                _stored.AddOrUpdate(value, reference);
            }
        }

        return values;
    }
}

/// <summary>A JSON object to store in a <c>jsonb</c> column, and whether it references a blob (the execution then has blobs).</summary>
public sealed record StoredObject(string Json, bool HasBlobs);
