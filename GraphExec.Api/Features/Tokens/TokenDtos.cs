namespace GraphExec.Api.Features.Tokens;

/// <param name="Name">What it is for, 1 to 100 characters.</param>
/// <param name="Scopes">What it may do, e.g. <c>["graphs:read", "executions:write"]</c>.</param>
/// <param name="ExpiresInDays">1 to 365.</param>
public sealed record CreateAccessTokenRequest(string? Name, string[]? Scopes, int? ExpiresInDays);

/// <param name="Token">The <c>gxp_</c> token in full, only in the answer to its creation; null otherwise.</param>
public sealed record AccessTokenDto(
    Guid Id, string Name, string[] Scopes, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt, string? Token);
