using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using GraphExec.Engine.Json;

namespace GraphExec.Engine.Blocks.Schema;

/// <summary>
/// A block's config schema, compiled once. Block schemas are plain JSON Schema (draft 2020-12) that the
/// UI can use as is, restricted to the keywords below; validating them here costs about a microsecond
/// per node, where a general-purpose validator costs tens, and lets every failure carry a message
/// written for the person editing the graph. A schema may set <c>errorMessage</c> to replace the
/// messages of its own keywords (a pattern is rarely a good message). Unsupported keywords are refused
/// when the schema is compiled, so a block cannot declare a rule that would be silently ignored.
/// </summary>
public sealed class ConfigSchema
{
    private static readonly HashSet<string> Annotations =
        ["$schema", "title", "description", "default", "examples", "format", "errorMessage"];

    private readonly SchemaTypes _types;
    private readonly Dictionary<string, ConfigSchema>? _properties;
    private readonly string[] _required = [];
    private readonly bool _closed;
    private readonly ConfigSchema? _additionalProperties;
    private readonly ConfigSchema? _propertyNames;
    private readonly ConfigSchema? _items;
    private readonly JsonElement[]? _enum;
    private readonly double? _minimum;
    private readonly double? _maximum;
    private readonly int? _minLength;
    private readonly int? _maxLength;
    private readonly Regex? _pattern;
    private readonly int? _minItems;
    private readonly int? _maxItems;
    private readonly bool _uniqueItems;
    private readonly string? _errorMessage;

    private ConfigSchema(JsonElement schema, string location)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"Schema at '{location}' must be an object.", nameof(schema));
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            var value = keyword.Value;
            var at = JsonPointer.Append(location, keyword.Name);
            switch (keyword.Name)
            {
                case "type":
                    _types = ParseTypes(value, at);
                    break;
                case "properties":
                    _properties = value.EnumerateObject()
                        .ToDictionary(p => p.Name, p => new ConfigSchema(p.Value, JsonPointer.Append(at, p.Name)), StringComparer.Ordinal);
                    break;
                case "required":
                    _required = [.. value.EnumerateArray().Select(r => r.GetString()!)];
                    break;
                case "additionalProperties" when value.ValueKind == JsonValueKind.False:
                    _closed = true;
                    break;
                case "additionalProperties" when value.ValueKind == JsonValueKind.Object:
                    _additionalProperties = new ConfigSchema(value, at);
                    break;
                case "propertyNames":
                    _propertyNames = new ConfigSchema(value, at);
                    break;
                case "items":
                    _items = new ConfigSchema(value, at);
                    break;
                case "enum":
                    _enum = [.. value.EnumerateArray().Select(e => e.Clone())];
                    break;
                case "minimum":
                    _minimum = value.GetDouble();
                    break;
                case "maximum":
                    _maximum = value.GetDouble();
                    break;
                case "minLength":
                    _minLength = value.GetInt32();
                    break;
                case "maxLength":
                    _maxLength = value.GetInt32();
                    break;
                case "pattern":
                    _pattern = new Regex(value.GetString()!, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                    break;
                case "minItems":
                    _minItems = value.GetInt32();
                    break;
                case "maxItems":
                    _maxItems = value.GetInt32();
                    break;
                case "uniqueItems":
                    _uniqueItems = value.GetBoolean();
                    break;
                case "errorMessage":
                    _errorMessage = value.GetString();
                    break;
                default:
                    if (!Annotations.Contains(keyword.Name))
                    {
                        throw new ArgumentException($"Schema keyword '{keyword.Name}' at '{location}' is not supported.", nameof(schema));
                    }

                    break;
            }
        }
    }

    /// <exception cref="ArgumentException">The schema uses a keyword this validator does not implement.</exception>
    public static ConfigSchema Compile(JsonElement schema) => new(schema, JsonPointer.Root);

    /// <summary>Adds one error per problem found; pointers are relative to <paramref name="instance"/>.</summary>
    public void Validate(JsonElement instance, ICollection<ConfigError> errors) =>
        Validate(instance, JsonPointer.Root, errors);

    private void Validate(JsonElement instance, string pointer, ICollection<ConfigError> errors)
    {
        if (_types != SchemaTypes.None && !Matches(instance, _types))
        {
            errors.Add(new ConfigError(pointer, _errorMessage ?? $"Expected {Describe(_types)}, got {JsonDescriptions.Of(instance.ValueKind)}."));
            return;
        }

        if (_enum is not null && !_enum.Any(allowed => JsonElement.DeepEquals(allowed, instance)))
        {
            var allowed = string.Join(", ", _enum.Select(e => e.GetRawText()));
            errors.Add(new ConfigError(pointer, _errorMessage ?? $"Expected one of {allowed}."));
            return;
        }

        switch (instance.ValueKind)
        {
            case JsonValueKind.String:
                ValidateString(instance.GetString()!, pointer, errors);
                break;
            case JsonValueKind.Number:
                ValidateNumber(instance.GetDouble(), pointer, errors);
                break;
            case JsonValueKind.Object:
                ValidateObject(instance, pointer, errors);
                break;
            case JsonValueKind.Array:
                ValidateArray(instance, pointer, errors);
                break;
        }
    }

    private void ValidateString(string value, string pointer, ICollection<ConfigError> errors)
    {
        var length = value.EnumerateRunes().Count();
        string? problem = null;
        if (length < _minLength)
        {
            problem = _minLength == 1 ? "Must not be empty." : $"Must be at least {_minLength} characters long.";
        }
        else if (length > _maxLength)
        {
            problem = $"Must be at most {_maxLength} characters long.";
        }
        else if (_pattern is not null && !_pattern.IsMatch(value))
        {
            problem = $"Must match the pattern {_pattern}.";
        }

        if (problem is not null)
        {
            errors.Add(new ConfigError(pointer, _errorMessage ?? problem));
        }
    }

    private void ValidateNumber(double value, string pointer, ICollection<ConfigError> errors)
    {
        if (value < _minimum)
        {
            errors.Add(new ConfigError(pointer, _errorMessage ?? $"Must be at least {Format(_minimum.Value)}."));
        }
        else if (value > _maximum)
        {
            errors.Add(new ConfigError(pointer, _errorMessage ?? $"Must be at most {Format(_maximum.Value)}."));
        }
    }

    private void ValidateObject(JsonElement instance, string pointer, ICollection<ConfigError> errors)
    {
        foreach (var name in _required)
        {
            if (!instance.TryGetProperty(name, out _))
            {
                errors.Add(new ConfigError(JsonPointer.Append(pointer, name), $"'{name}' is required."));
            }
        }

        foreach (var property in instance.EnumerateObject())
        {
            var at = JsonPointer.Append(pointer, property.Name);
            _propertyNames?.ValidateString(property.Name, at, errors);
            if (_properties is not null && _properties.TryGetValue(property.Name, out var schema))
            {
                schema.Validate(property.Value, at, errors);
            }
            else if (_closed)
            {
                var known = _properties is null ? "none" : string.Join(", ", _properties.Keys);
                errors.Add(new ConfigError(at, $"Unknown property '{property.Name}'. Known properties: {known}."));
            }
            else
            {
                _additionalProperties?.Validate(property.Value, at, errors);
            }
        }
    }

    private void ValidateArray(JsonElement instance, string pointer, ICollection<ConfigError> errors)
    {
        var count = instance.GetArrayLength();
        if (count < _minItems)
        {
            errors.Add(new ConfigError(pointer, _errorMessage ?? (_minItems == 1 ? "Must not be empty." : $"Must have at least {_minItems} items.")));
        }
        else if (count > _maxItems)
        {
            errors.Add(new ConfigError(pointer, _errorMessage ?? $"Must have at most {_maxItems} items."));
        }

        var index = 0;
        var seen = _uniqueItems ? new List<JsonElement>(count) : null;
        foreach (var item in instance.EnumerateArray())
        {
            var at = JsonPointer.Append(pointer, index++);
            if (seen is not null)
            {
                if (seen.Any(earlier => JsonElement.DeepEquals(earlier, item)))
                {
                    errors.Add(new ConfigError(at, $"{item.GetRawText()} appears more than once."));
                }

                seen.Add(item);
            }

            _items?.Validate(item, at, errors);
        }
    }

    private static bool Matches(JsonElement instance, SchemaTypes types) => instance.ValueKind switch
    {
        JsonValueKind.Null => types.HasFlag(SchemaTypes.Null),
        JsonValueKind.True or JsonValueKind.False => types.HasFlag(SchemaTypes.Boolean),
        JsonValueKind.String => types.HasFlag(SchemaTypes.String),
        JsonValueKind.Array => types.HasFlag(SchemaTypes.Array),
        JsonValueKind.Object => types.HasFlag(SchemaTypes.Object),
        JsonValueKind.Number => types.HasFlag(SchemaTypes.Number)
            || (types.HasFlag(SchemaTypes.Integer) && IsInteger(instance)),
        _ => false,
    };

    private static bool IsInteger(JsonElement number) =>
        number.TryGetInt64(out _) || (number.TryGetDouble(out var value) && Math.Floor(value) == value && double.IsFinite(value));

    private static SchemaTypes ParseTypes(JsonElement value, string location)
    {
        IEnumerable<JsonElement> names = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [value];
        var types = SchemaTypes.None;
        foreach (var name in names)
        {
            types |= name.GetString() switch
            {
                "null" => SchemaTypes.Null,
                "boolean" => SchemaTypes.Boolean,
                "integer" => SchemaTypes.Integer,
                "number" => SchemaTypes.Number,
                "string" => SchemaTypes.String,
                "array" => SchemaTypes.Array,
                "object" => SchemaTypes.Object,
                var other => throw new ArgumentException($"Unknown type '{other}' at '{location}'.", nameof(value)),
            };
        }

        return types;
    }

    private static string Describe(SchemaTypes types)
    {
        var words = new List<string>();
        if (types.HasFlag(SchemaTypes.Object))
        {
            words.Add("an object");
        }

        if (types.HasFlag(SchemaTypes.Array))
        {
            words.Add("an array");
        }

        if (types.HasFlag(SchemaTypes.String))
        {
            words.Add("a string");
        }

        if (types.HasFlag(SchemaTypes.Number))
        {
            words.Add("a number");
        }
        else if (types.HasFlag(SchemaTypes.Integer))
        {
            words.Add("an integer");
        }

        if (types.HasFlag(SchemaTypes.Boolean))
        {
            words.Add("a boolean");
        }

        if (types.HasFlag(SchemaTypes.Null))
        {
            words.Add("null");
        }

        return words.Count == 1 ? words[0] : string.Join(", ", words[..^1]) + " or " + words[^1];
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
