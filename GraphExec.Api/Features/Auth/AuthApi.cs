using System.Globalization;
using GraphExec.Api.Infrastructure;
using GraphExec.Core.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GraphExec.Api.Features.Auth;

public static class AuthApi
{
    public const string RateLimitPolicy = "auth";

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous().RequireRateLimiting(RateLimitPolicy);

        group.MapPost("/register", RegisterAsync)
            .WithName("Register")
            .WithSummary("Creates a user. The password is stored only as a salted hash.");

        group.MapPost("/token", IssueTokenAsync)
            .WithName("IssueToken")
            .WithSummary("Exchanges a user name and password for an access token (JWT).");

        return group;
    }

    public static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        Credentials credentials, GraphExecDbContext db, IPasswordHasher<User> hasher, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (AccountRules.CheckUsername(credentials.Username) is { } usernameError)
        {
            errors["username"] = [usernameError];
        }

        if (AccountRules.CheckPassword(credentials.Password, credentials.Username) is { } passwordError)
        {
            errors["password"] = [passwordError];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The account cannot be created.");
        }

        var user = new User
        {
            Id = Guid.CreateVersion7(),
            Username = credentials.Username!,
            NormalizedUsername = credentials.Username!.ToLowerInvariant(),
            PasswordHash = "",
            CreatedAt = time.GetUtcNow(),
        };
        user.PasswordHash = hasher.HashPassword(user, credentials.Password!);
        db.Users.Add(user);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return UsernameTaken(credentials.Username!);
        }

        return TypedResults.Created((string?)null, new UserDto(user.Id, user.Username, user.CreatedAt));
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> IssueTokenAsync(
        Credentials credentials, GraphExecDbContext db, IPasswordHasher<User> hasher, TokenIssuer issuer, SignInBackoff backoff,
        HttpResponse response, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(credentials.Username) || string.IsNullOrEmpty(credentials.Password))
        {
            return Problems.Invalid(string.IsNullOrEmpty(credentials.Username) ? "username" : "password", "A user name and a password are required.");
        }

        var normalized = credentials.Username.ToLowerInvariant();
        if (await backoff.WaitAsync(normalized) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                title: "Too many failed sign-ins for this user name.",
                detail: $"Try again in {seconds} s; each further failure doubles the wait, up to {SignInBackoff.MaxWait.TotalMinutes} minutes.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedUsername == normalized, cancellationToken);

        // Hash even for an unknown user, with the same work factor, so that the answer takes as long whether or not the
        // name exists.
        var verdict = hasher.VerifyHashedPassword(user ?? UnknownUser, user?.PasswordHash ?? UnknownPasswordHash(hasher), credentials.Password);
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            await backoff.FailedAsync(normalized);
            return TypedResults.Problem(
                title: "The user name or password is wrong.", statusCode: StatusCodes.Status401Unauthorized);
        }

        await backoff.SucceededAsync(normalized);

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, credentials.Password);
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.Ok(issuer.Issue(user));
    }

    private static ProblemHttpResult UsernameTaken(string username) =>
        TypedResults.Problem(
            title: "The user name is taken.",
            detail: $"There is already a user named '{username}'.",
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["username"] = ["This user name is taken."] } });

    private static readonly User UnknownUser = new() { Username = "", NormalizedUsername = "", PasswordHash = "" };

    private static string? s_unknownPasswordHash;

    private static string UnknownPasswordHash(IPasswordHasher<User> hasher) =>
        s_unknownPasswordHash ??= hasher.HashPassword(UnknownUser, Guid.NewGuid().ToString());
}
