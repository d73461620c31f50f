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

    public const int DefaultRetentionDays = 30;
    public const int MinRetentionDays = 1;
    public const int MaxRetentionDays = 365;

    /// <summary>
    /// How many days the user's executions are kept (pinned ones apart); daily partitions are dropped after the default,
    /// so a longer retention moves the user's rows aside at the drop and a shorter one deletes them earlier (docs/scaling.md).
    /// </summary>
    public int RetentionDays { get; set; } = DefaultRetentionDays;

    public DateTimeOffset CreatedAt { get; set; }
}
