using System.Diagnostics.CodeAnalysis;
using GraphExec.Engine.Blocks.Http;
using GraphExec.Engine.Blocks.Library;

namespace GraphExec.Engine.Blocks;

/// <summary>The blocks graphs may use: what validation binds nodes against and what the API lists for the UI.</summary>
public sealed class BlockCatalog
{
    private readonly Dictionary<string, Block> _blocks;

    /// <exception cref="ArgumentException">Two blocks share a name.</exception>
    public BlockCatalog(IEnumerable<Block> blocks)
    {
        _blocks = new Dictionary<string, Block>(StringComparer.Ordinal);
        foreach (var block in blocks)
        {
            if (!_blocks.TryAdd(block.Name, block))
            {
                throw new ArgumentException($"Two blocks are named '{block.Name}'.", nameof(blocks));
            }
        }

        Descriptors = [.. _blocks.Values.Select(block => block.Descriptor).OrderBy(descriptor => descriptor.Name, StringComparer.Ordinal)];
    }

    /// <summary>Every block, sorted by name.</summary>
    public IReadOnlyList<BlockDescriptor> Descriptors { get; }

    /// <summary>The standard blocks; <paramref name="http"/> sets the http block's limits and allow-list.</summary>
    public static BlockCatalog CreateDefault(HttpBlockOptions? http = null) => new(
    [
        new InputBlock(),
        new OutputBlock(),
        new ConstantBlock(),
        new TemplateBlock(),
        new ExpressionBlock(),
        new JsonBlock(),
        new BranchBlock(),
        new SwitchBlock(),
        new CoalesceBlock(),
        new HttpBlock(http ?? new HttpBlockOptions()),
        new DelayBlock(),
        new FailBlock(),
        new ForEachBlock(),
        new SubgraphBlock(),
    ]);

    /// <summary>A catalogue with further blocks, for hosts with blocks of their own.</summary>
    /// <exception cref="ArgumentException">A block's name is taken.</exception>
    public BlockCatalog With(params IEnumerable<Block> blocks) => new(_blocks.Values.Concat(blocks));

    public bool TryGetBlock(string name, [NotNullWhen(true)] out Block? block) => _blocks.TryGetValue(name, out block);
}
