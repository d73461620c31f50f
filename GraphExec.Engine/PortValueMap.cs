using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace GraphExec.Engine;

/// <summary>
/// A node's port values by name, read from the run's arrays instead of copied, so that results and
/// events cost one small object per node. Only ports that fired appear.
/// </summary>
internal sealed class PortValueMap(string[] names, int[] slots, int offset, NodeHost host) : IReadOnlyDictionary<string, JsonNode?>
{
    public int Count => Fired().Count();

    public IEnumerable<string> Keys => Fired().Select(port => names[port]);

    public IEnumerable<JsonNode?> Values => Fired().Select(port => host.Values[slots[offset + port]]);

    public JsonNode? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No value on port '{key}'.");

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out JsonNode? value)
    {
        var port = Array.IndexOf(names, key);
        if (port >= 0 && IsFired(port))
        {
            value = host.Values[slots[offset + port]];
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, JsonNode?>> GetEnumerator() =>
        Fired().Select(port => KeyValuePair.Create(names[port], host.Values[slots[offset + port]])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerable<int> Fired() => Enumerable.Range(0, names.Length).Where(IsFired);

    private bool IsFired(int port) => slots[offset + port] is var slot and >= 0 && host.States[slot] == SlotState.Fired;
}
