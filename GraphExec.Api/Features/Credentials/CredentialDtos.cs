using GraphExec.Core.Data;

namespace GraphExec.Api.Features.Credentials;

/// <summary>A new credential: its name (what configs write after <c>secrets.</c>), its value, and what it is.</summary>
public sealed record CreateCredentialRequest(string? Name, string? Value, CredentialKind? Kind);

/// <summary>A new value for a credential, and optionally a new kind.</summary>
public sealed record ReplaceCredentialRequest(string? Value, CredentialKind? Kind);

/// <summary>A credential as it is shown: never its value. <see cref="Reference"/> is what a config writes to use it.</summary>
public sealed record CredentialDto(
    Guid Id, string Name, CredentialKind Kind, string Reference, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? LastUsedAt);
