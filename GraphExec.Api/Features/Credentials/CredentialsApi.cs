using System.Security.Claims;
using GraphExec.Api.Infrastructure;
using GraphExec.Contracts;
using GraphExec.Core.Data;
using GraphExec.Core.Quotas;
using GraphExec.Engine.Json;
using GraphExec.Hosting;
using GraphExec.Hosting.Secrets;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GraphExec.Api.Features.Credentials;

/// <summary>
/// The owner's named secrets. A value goes in once (create, replace) and never comes out of the Api: it is stored
/// encrypted and only the Worker decrypts it, while a node whose config names it runs.
/// </summary>
public static class CredentialsApi
{
    /// <summary>
    /// The credentials under <c>/api/credentials</c>, and under <c>/api/secrets</c> too, the name the platform's REST
    /// contract gives them: the same handlers, described once in the OpenAPI document.
    /// </summary>
    public static IEndpointRouteBuilder MapCredentialsApi(this IEndpointRouteBuilder routes)
    {
        MapRoutes(routes.MapGroup("/api/credentials").WithTags("Credentials"), name => name);
        MapRoutes(routes.MapGroup("/api/secrets").ExcludeFromDescription(), name => name + "AsSecret");
        return routes;
    }

    private static void MapRoutes(RouteGroupBuilder group, Func<string, string> endpointName)
    {
        group.MapPost("/", CreateAsync).WithName(endpointName("CreateCredential"))
            .WithSummary("Stores a named secret, encrypted; block configs use it as {{secrets.NAME}}. The value is never shown again.");
        group.MapGet("/", ListAsync).WithName(endpointName("ListCredentials"))
            .WithSummary("Lists your credentials, newest first: names, kinds, when created, replaced and last used; never values.");
        group.MapGet("/{name}", GetAsync).WithName(endpointName("GetCredential")).WithSummary("Gets one credential, without its value.");
        group.MapPut("/{name}", ReplaceAsync).WithName(endpointName("ReplaceCredential"))
            .WithSummary("Replaces a credential's value (and kind); runs that start from now on use the new value.");
        group.MapDelete("/{name}", DeleteAsync).WithName(endpointName("DeleteCredential"))
            .WithSummary("Deletes a credential; graphs that name it fail their next run with secret_missing until it exists again.");
    }

    public static async Task<Results<Created<CredentialDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateCredentialRequest? create, ClaimsPrincipal user, GraphExecDbContext db, SecretProtection protection,
        IOptions<QuotaOptions> quotas, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (CredentialRules.CheckName(create?.Name) is { } nameError)
        {
            errors["name"] = [nameError];
        }

        if (CheckValue(create?.Value) is { } valueError)
        {
            errors["value"] = [valueError];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The credential cannot be stored.");
        }

        var ownerId = user.OwnerId();
        var now = time.GetUtcNow();
        var credential = new Credential
        {
            OwnerId = ownerId,
            Id = Guid.CreateVersion7(),
            Name = create!.Name!,
            Kind = create.Kind ?? CredentialKind.Secret,
            ProtectedValue = protection.ProtectCredential(ownerId, create.Value!),
            CreatedAt = now,
            UpdatedAt = now,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.ChangeUsageAsync(ownerId, new UsageChange(Credentials: 1), quotas.Value.For(ownerId), cancellationToken) is { } overQuota)
        {
            return QuotaProblems.Kept(overQuota);
        }

        db.Credentials.Add(credential);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return TypedResults.Problem(
                title: "A credential of that name exists.",
                detail: $"You already have a credential named '{credential.Name}': replace its value with PUT /api/credentials/{credential.Name}.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["name"] = ["This name is taken."] } });
        }

        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/credentials/{credential.Name}", ToDto(credential));
    }

    public static async Task<Results<Ok<Page<CredentialDto>>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, GraphExecDbContext db, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (Paging.Check(cursor, limit, out PageRequest<Guid> page) is { } badPage)
        {
            return badPage;
        }

        var ownerId = user.OwnerId();
        return TypedResults.Ok(await db.Credentials.AsNoTracking()
            .Where(c => c.OwnerId == ownerId)
            .ToPageAsync(c => c.Id, page, c => new CredentialDto(
                c.Id, c.Name, c.Kind, "{{secrets." + c.Name + "}}", c.CreatedAt, c.UpdatedAt, c.LastUsedAt), cancellationToken));
    }

    public static async Task<Results<Ok<CredentialDto>, NotFound>> GetAsync(
        string name, ClaimsPrincipal user, GraphExecDbContext db, CancellationToken cancellationToken)
    {
        var credential = await Find(db, user.OwnerId(), name).AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return credential is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(credential));
    }

    public static async Task<Results<Ok<CredentialDto>, NotFound, ValidationProblem>> ReplaceAsync(
        string name, ReplaceCredentialRequest? replace, ClaimsPrincipal user, GraphExecDbContext db, SecretProtection protection,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (CheckValue(replace?.Value) is { } valueError)
        {
            return Problems.Invalid("value", valueError);
        }

        var ownerId = user.OwnerId();
        var credential = await Find(db, ownerId, name).SingleOrDefaultAsync(cancellationToken);
        if (credential is null)
        {
            return TypedResults.NotFound();
        }

        credential.ProtectedValue = protection.ProtectCredential(ownerId, replace!.Value!);
        credential.Kind = replace.Kind ?? credential.Kind;
        credential.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToDto(credential));
    }

    public static async Task<Results<NoContent, NotFound>> DeleteAsync(
        string name, ClaimsPrincipal user, GraphExecDbContext db, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await Find(db, ownerId, name).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return TypedResults.NotFound();
        }

        await db.GiveBackUsageAsync(ownerId, new UsageChange(Credentials: -deleted), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static string? CheckValue(string? value) => CredentialRules.CheckValue(value) ?? StorableText.Problem(value!);

    /// <summary>The owner's credential of that name; names are unique per owner, and another owner's are never found.</summary>
    private static IQueryable<Credential> Find(GraphExecDbContext db, Guid ownerId, string name) =>
        db.Credentials.Where(c => c.OwnerId == ownerId && c.Name == name);

    private static CredentialDto ToDto(Credential credential) => new(
        credential.Id, credential.Name, credential.Kind, "{{secrets." + credential.Name + "}}", credential.CreatedAt, credential.UpdatedAt,
        credential.LastUsedAt);
}
