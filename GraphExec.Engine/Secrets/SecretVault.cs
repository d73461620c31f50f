using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphExec.Engine.Secrets;

/// <summary>
/// The secrets one execution has read, shared by its child graphs, and the mask that keeps them in: once a value is
/// read, every occurrence of it in what a node fires and in error messages becomes <see cref="Mask"/> before it goes
/// on, so that no secret reaches storage, a watcher or the next node's output (as CI systems mask secrets in logs).
/// A value is also masked as it appears URL-encoded, JSON-escaped, and line by line.
/// </summary>
internal sealed class SecretVault(ISecretSource? source)
{
    public const string Mask = "***";

    /// <summary>Shorter lines of a multi-line value are common text (a PEM's dashes are not), so only longer ones are masked alone.</summary>
    private const int MinMaskedLineLength = 8;

    private static readonly JsonSerializerOptions Escaping = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private string[] _forms = [];

    /// <summary>True until a secret has been read: masking then costs nothing.</summary>
    public bool IsEmpty => Volatile.Read(ref _forms).Length == 0;

    /// <summary>Reads the secrets a node needs, those not read yet.</summary>
    /// <exception cref="SecretMissingException">The owner has no such secret.</exception>
    public async ValueTask ResolveAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        foreach (var name in names)
        {
            if (_values.ContainsKey(name))
            {
                continue;
            }

            var value = source is null ? null : await source.GetAsync(name, cancellationToken).ConfigureAwait(false);
            if (value is null)
            {
                throw new SecretMissingException(name);
            }

            // The mask first, then the value: a node running alongside sees the value only once the mask holds it,
            // so nothing it fires can carry the value unmasked.
            AddForms(value);
            _values.TryAdd(name, value);
        }
    }

    /// <summary>The value of a secret the node's config names; read before the node started.</summary>
    public string Get(string name) => _values.TryGetValue(name, out var value) ? value : throw new SecretMissingException(name);

    /// <summary>The text with every secret read so far replaced by <see cref="Mask"/>.</summary>
    public string Apply(string text)
    {
        foreach (var form in Volatile.Read(ref _forms))
        {
            if (text.Contains(form, StringComparison.Ordinal))
            {
                text = text.Replace(form, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>The value itself when it holds no secret; otherwise a copy with every secret masked.</summary>
    public JsonNode? Apply(JsonNode? value) => value is null || !Holds(value) ? value : Masked(value);

    public ExecutionError? Apply(ExecutionError? error) =>
        error is null || IsEmpty ? error : error with { Message = Apply(error.Message) };

    private bool Holds(JsonNode node) => node switch
    {
        JsonObject obj => obj.Any(property => HoldsText(property.Key) || (property.Value is { } child && Holds(child))),
        JsonArray array => array.Any(item => item is not null && Holds(item)),
        JsonValue text when text.TryGetValue(out string? s) => HoldsText(s),
        _ => false,
    };

    private bool HoldsText(string text)
    {
        foreach (var form in Volatile.Read(ref _forms))
        {
            if (text.Contains(form, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private JsonNode? Masked(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(property => KeyValuePair.Create(Apply(property.Key), Masked(property.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Masked)]),
        JsonValue text when text.TryGetValue(out string? s) => JsonValue.Create(Apply(s)),
        _ => node?.DeepClone(),
    };

    private void AddForms(string value)
    {
        var forms = new HashSet<string>(StringComparer.Ordinal) { value, Uri.EscapeDataString(value), JsonSerializer.Serialize(value, Escaping)[1..^1] };
        foreach (var line in value.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length >= MinMaskedLineLength)
            {
                forms.Add(line);
            }
        }

        lock (_lock)
        {
            // Longest first, so that a value is masked whole before a line of it is.
            Volatile.Write(ref _forms, [.. _forms.Union(forms).Where(form => form.Length > 0).OrderByDescending(form => form.Length)]);
        }
    }
}
