namespace GraphExec.Engine.Graphs;

/// <summary>
/// The graph's top-level <c>settings</c>: what the platform does around its runs. The engine only carries them; the
/// services that own the referenced things check and act on them.
/// </summary>
public sealed record GraphSettings
{
    /// <summary>
    /// The error handler: another graph of the same owner, started with a summary of every run of this graph that ends
    /// Failed or TimedOut (an "error workflow"). The Api checks at save that it exists and is not this graph.
    /// </summary>
    public Guid? ErrorGraphId { get; init; }
}
