namespace GraphExec.Engine.Secrets;

/// <summary>
/// Reads the values of an owner's secrets (<c>{{secrets.NAME}}</c> in a block's config) for one execution. The Worker
/// implements it over the stored, encrypted credentials of the execution's owner, so that a graph can only read its
/// own owner's secrets, and only while it runs.
/// </summary>
public interface ISecretSource
{
    /// <returns>The value, or null when the owner has no secret of that name.</returns>
    ValueTask<string?> GetAsync(string name, CancellationToken cancellationToken);
}
