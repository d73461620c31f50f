namespace GraphExec.Core.Data;

/// <summary>
/// A named secret of one owner, which block configs use as <c>{{secrets.NAME}}</c>. Its value is stored only encrypted
/// (<see cref="ProtectedValue"/>, Data Protection) and is decrypted only by the Worker, while a node that names it runs.
/// </summary>
public sealed class Credential
{
    public Guid OwnerId { get; set; }

    public Guid Id { get; set; }

    /// <summary>What configs write after <c>secrets.</c>; unique per owner.</summary>
    public required string Name { get; set; }

    public CredentialKind Kind { get; set; }

    /// <summary>The value, encrypted with the credentials' Data Protection purpose; never the plain text.</summary>
    public required string ProtectedValue { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When a run last read it, to the minute; null when none has.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}
