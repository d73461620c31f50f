namespace GraphExec.Engine.Secrets;

/// <summary>A node's config names a secret its owner does not have (any more).</summary>
public sealed class SecretMissingException(string name)
    : Exception($"There is no secret named '{name}': create it under Credentials, or change the node's config.")
{
    public string Name { get; } = name;
}
