namespace GraphExec.Web.Api;

/// <summary>
/// The block catalogue changes only with a deployment, and is the same for everyone: read it once per process (with
/// the first person's token) and share it.
/// </summary>
public sealed class BlockCatalogue
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<BlockDescriptor>? _blocks;

    public async Task<IReadOnlyList<BlockDescriptor>> GetAsync(ApiClient api, CancellationToken cancellationToken = default)
    {
        if (_blocks is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _blocks ??= await api.ListBlocksAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
