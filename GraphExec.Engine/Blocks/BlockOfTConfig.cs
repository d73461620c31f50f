using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace GraphExec.Engine.Blocks;

/// <summary>A block whose config binds to a typed record once it satisfies the schema.</summary>
public abstract class Block<TConfig>(BlockDescriptor descriptor, JsonTypeInfo<TConfig> configType) : Block(descriptor)
{
    protected sealed override BlockNode? BindValidConfig(JsonElement config, ICollection<ConfigError> errors)
    {
        TConfig typed;
        try
        {
            typed = config.Deserialize(configType)!;
        }
        catch (JsonException ex)
        {
            // A schema can miss what the record cannot hold (a number beyond int); report it like any config error.
            var pointer = ex.Path is { Length: > 1 } path ? "/" + path[2..].Replace('.', '/') : string.Empty;
            errors.Add(new ConfigError(pointer, "This value cannot be used here."));
            return null;
        }

        return Bind(typed, errors);
    }

    protected abstract BlockNode Bind(TConfig config, ICollection<ConfigError> errors);
}
