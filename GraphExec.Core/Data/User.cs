namespace GraphExec.Core.Data;

/// <summary>A person who owns graphs. Its <see cref="Id"/> is the <c>owner_id</c> of everything they own.</summary>
public sealed class User
{
    public Guid Id { get; set; }

    /// <summary>As the person typed it, for display.</summary>
    public required string Username { get; set; }

    /// <summary>Lower-cased, so that "Ada" and "ada" are one user.</summary>
    public required string NormalizedUsername { get; set; }

    public required string PasswordHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
