namespace GraphExec.Engine.Blocks;

/// <summary>A failure whose message is meant for the person who wrote the graph.</summary>
public sealed class BlockException : Exception
{
    public BlockException(string message)
        : base(message)
    {
    }

    public BlockException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
