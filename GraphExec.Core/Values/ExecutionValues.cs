using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using GraphExec.Core.Executions;

namespace GraphExec.Core.Values;

/// <summary>
/// One execution's values on their way to and from storage: offloads the large ones to blob storage before the rows that
/// reference them are written, and resolves references back to values where a run reads stored values. A value flowing
/// from a node's output into the next node's input and into the execution's outputs is hashed and written once: the run
/// remembers the values (by identity) and the writes of their keys, so that the progress writer, the live events and
/// the final write storing the same value at once share one request.
/// </summary>
public sealed class ExecutionValues(ExecutionBlobStore blobs, ValueLimits limits, ExecutionKey execution)
{
    /// <summary>The write of a key read back from storage: there is nothing to write.</summary>
    private static readonly Lazy<Task> Stored = new(Task.CompletedTask);

    private readonly ConcurrentDictionary<string, Lazy<Task>> _writes = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<JsonNode, ValueReference> _stored = [];

    public ExecutionKey Execution => execution;

    /// <summary>
    /// Whether none of these values can be large, by a measure that stops early (what a live event costs when nothing is
    /// large); false also for some values just under the threshold, which <see cref="StoreAsync"/> then measures exactly.
    /// </summary>
    public bool AreSmall(IReadOnlyDictionary<string, JsonNode?> values) => ValueOffload.AreSmall(values, limits);

    /// <summary>
    /// The values with those stored in blob storage by this run (by <see cref="StoreAsync"/>) replaced by their references,
    /// as a live event carries them; the same dictionary when there are none.
    /// </summary>
    public IReadOnlyDictionary<string, JsonNode?> Referenced(IReadOnlyDictionary<string, JsonNode?> values)
    {
        Dictionary<string, JsonNode?>? referenced = null;
        foreach (var (name, value) in values)
        {
            if (value is not null && _stored.TryGetValue(value, out var reference))
            {
                referenced ??= new Dictionary<string, JsonNode?>(values, StringComparer.Ordinal);
                referenced[name] = reference.ToJson();
            }
        }

        return referenced ?? values;
    }

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
            await Task.WhenAll(offloaded.Large.Select(value => WriteOnceAsync(value, cancellationToken)));
            foreach (var value in offloaded.Large)
            {
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
            _writes.TryAdd(reference.Key, Stored);
            if (value is not null)
            {
                _stored.AddOrUpdate(value, reference);
            }
        }

        return values;
    }

    /// <summary>
    /// Writes the value unless this run has written it or is writing it now (then waits for that write). The write itself
    /// is not cancelled with one caller: others may wait for it. A failed write is forgotten, to be tried again.
    /// </summary>
    private async Task WriteOnceAsync(LargeValue value, CancellationToken cancellationToken)
    {
        var write = _writes.GetOrAdd(value.Reference.Key, _ => new Lazy<Task>(() => blobs.WriteAsync(execution, value, CancellationToken.None)));
        try
        {
            await write.Value.WaitAsync(cancellationToken);
        }
        catch when (write.Value.IsFaulted)
        {
            _writes.TryRemove(KeyValuePair.Create(value.Reference.Key, write));
            throw;
        }
    }
}

/// <summary>A JSON object to store in a <c>jsonb</c> column, and whether it references a blob (the execution then has blobs).</summary>
public sealed record StoredObject(string Json, bool HasBlobs);
