using GraphExec.Web.Api;

namespace GraphExec.Web.Unit.Tests.Credentials;

/// <summary>Credentials as the Api lists them, created at <see cref="Created"/>.</summary>
internal static class Stored
{
    public static readonly DateTimeOffset Created = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static Credential Named(string name, CredentialKind kind = CredentialKind.Secret, DateTimeOffset? lastUsedAt = null) =>
        new(Guid.CreateVersion7(), name, kind, "{{secrets." + name + "}}", Created, Created, lastUsedAt);

    public static Page<Credential> Page(string? nextCursor, params string[] names) => new([.. names.Select(name => Named(name))], nextCursor);
}
