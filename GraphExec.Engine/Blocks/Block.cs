using System.Text.Json;
using GraphExec.Engine.Blocks.Schema;

namespace GraphExec.Engine.Blocks;

/// <summary>A kind of node in the catalogue: describes itself and compiles a node's config.</summary>
public abstract class Block
{
    private readonly ConfigSchema _schema;

    protected Block(BlockDescriptor descriptor)
    {
        Descriptor = descriptor;
        _schema = ConfigSchema.Compile(descriptor.ConfigSchema);
    }

    public BlockDescriptor Descriptor { get; }

    public string Name => Descriptor.Name;

    /// <summary>
    /// Checks a node's config against the schema, then against the block's own rules (a template's
    /// syntax), and compiles it. Returns null after adding at least one error.
    /// </summary>
    public BlockNode? Bind(JsonElement config, ICollection<ConfigError> errors)
    {
        var before = errors.Count;
        _schema.Validate(config, errors);
        if (errors.Count > before)
        {
            return null;
        }

        var node = BindValidConfig(config, errors);
        return errors.Count > before ? null : node;
    }

    /// <summary>Compiles a config that satisfies the schema; reports further problems to <paramref name="errors"/>.</summary>
    protected abstract BlockNode? BindValidConfig(JsonElement config, ICollection<ConfigError> errors);
}
