using System.Security.Claims;
using GraphExec.Api.Features.Auth;
using GraphExec.Api.Infrastructure;
using GraphExec.Core.Data;
using GraphExec.Core.Quotas;
using GraphExec.Engine.Json;
using GraphExec.Hosting;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GraphExec.Api.Features.Tokens;

/// <summary>Personal access tokens: created, listed and revoked by a signed-in person only (a token cannot make tokens).</summary>
public static class TokensApi
{
    public const int MaxExpiresInDays = 365;

    public static RouteGroupBuilder MapTokensApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tokens").WithTags("Tokens").RequireSessionCaller();
        group.MapPost("/", CreateAsync).WithName("CreateAccessToken")
            .WithSummary("Creates a personal access token (`gxp_…`) for scripts and CI, limited to its scopes; the answer holds the token in full, once.");
        group.MapGet("/", ListAsync).WithName("ListAccessTokens")
            .WithSummary("Lists your personal access tokens that are not revoked, newest first, without the tokens themselves.");
        group.MapDelete("/{id:guid}", RevokeAsync).WithName("RevokeAccessToken")
            .WithSummary("Revokes a personal access token: every request with it answers 401 from then on, and its Live tickets are refused and their connections closed.");
        return group;
    }

    public static async Task<Results<Created<AccessTokenDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateAccessTokenRequest? create, ClaimsPrincipal user, GraphExecDbContext db, IOptions<QuotaOptions> quotas, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (Check(create) is { } invalid)
        {
            return invalid;
        }

        var ownerId = user.OwnerId();
        var now = time.GetUtcNow();
        var token = SecretTokens.New(SecretTokens.PersonalAccessTokenPrefix);
        var accessToken = new AccessToken
        {
            OwnerId = ownerId,
            Id = Guid.CreateVersion7(),
            Name = create!.Name!.Trim(),
            TokenHash = SecretTokens.Hash(token),
            Scopes = [.. create.Scopes!.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            CreatedAt = now,
            ExpiresAt = now.AddDays(create.ExpiresInDays!.Value),
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The user's row is locked to the end of the transaction, so that one user's creations queue and the count holds
        // across replicas.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM users WHERE id = {ownerId} FOR UPDATE", cancellationToken);
        var limit = quotas.Value.For(ownerId).AccessTokens;
        var kept = await db.AccessTokens.CountAsync(t => t.OwnerId == ownerId && t.RevokedAt == null && t.ExpiresAt > now, cancellationToken);
        if (kept >= limit)
        {
            return QuotaProblems.Kept(QuotaExceeded.Count(QuotaNames.AccessTokens, limit, "personal access tokens; revoke one first"));
        }

        db.AccessTokens.Add(accessToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/tokens/{accessToken.Id}", ToDto(accessToken, token));
    }

    public static async Task<Results<Ok<Page<AccessTokenDto>>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, GraphExecDbContext db, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (Paging.Check(cursor, limit, out PageRequest<Guid> page) is { } badPage)
        {
            return badPage;
        }

        var ownerId = user.OwnerId();
        return TypedResults.Ok(await db.AccessTokens.AsNoTracking()
            .Where(t => t.OwnerId == ownerId && t.RevokedAt == null)
            .ToPageAsync(t => t.Id, page, t => new AccessTokenDto(t.Id, t.Name, t.Scopes, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, null), cancellationToken));
    }

    public static async Task<Results<NoContent, NotFound>> RevokeAsync(
        Guid id, ClaimsPrincipal user, GraphExecDbContext db, SessionRevocations revocations, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        var now = time.GetUtcNow();
        var revoked = await db.AccessTokens
            .Where(t => t.OwnerId == ownerId && t.Id == id && t.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.RevokedAt, now), cancellationToken);
        if (revoked == 0)
        {
            return TypedResults.NotFound();
        }

        // The token's Live tickets carry its id as their session: listing it ends them at Live as a sign-out would.
        await revocations.RevokeAsync([id]);
        return TypedResults.NoContent();
    }

    /// <summary>Every field at fault, each by its name.</summary>
    private static ValidationProblem? Check(CreateAccessTokenRequest? create)
    {
        var errors = new Dictionary<string, string[]>();
        var name = create?.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors["name"] = ["A name is required, so that you can tell your tokens apart."];
        }
        else if (name.Length > AccessToken.MaxNameLength)
        {
            errors["name"] = [$"The name is too long: use at most {AccessToken.MaxNameLength} characters."];
        }
        else if (StorableText.Problem(name) is { } unstorable)
        {
            errors["name"] = [$"The name {unstorable}."];
        }

        var known = string.Join(", ", Scopes.All.Order(StringComparer.Ordinal));
        if (create?.Scopes is not { Length: > 0 } scopes)
        {
            errors["scopes"] = [$"At least one scope is required: {known}."];
        }
        else if (Array.FindIndex(scopes, scope => scope is null || !Scopes.All.Contains(scope)) is >= 0 and var at)
        {
            var unknown = scopes[at];
            var shown = unknown is null ? "null" : $"'{unknown[..Math.Min(unknown.Length, 64)]}'";
            errors["scopes"] = [$"{shown} is not a scope. Scopes are: {known}."];
        }

        if (create?.ExpiresInDays is not (>= 1 and <= MaxExpiresInDays))
        {
            errors["expiresInDays"] = [$"A token expires after 1 to {MaxExpiresInDays} days."];
        }

        return errors.Count > 0 ? TypedResults.ValidationProblem(errors, title: "The token cannot be created.") : null;
    }

    private static AccessTokenDto ToDto(AccessToken token, string? secret) =>
        new(token.Id, token.Name, token.Scopes, token.CreatedAt, token.ExpiresAt, token.LastUsedAt, secret);
}
