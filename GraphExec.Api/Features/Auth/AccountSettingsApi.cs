using System.Security.Claims;
using GraphExec.Api.Infrastructure;
using GraphExec.Core.Data;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Api.Features.Auth;

/// <summary>What a user sets for their own account.</summary>
/// <param name="RetentionDays">How many days their executions are kept (pinned ones apart), 1 to 365.</param>
public sealed record AccountSettingsDto(int? RetentionDays);

/// <summary>The caller's own account settings: for now how long their executions are kept (docs/scaling.md).</summary>
public static class AccountSettingsApi
{
    public static IEndpointRouteBuilder MapAccountSettingsApi(this IEndpointRouteBuilder routes)
    {
        // Account settings are for the people who own the account, as ending sessions is.
        var group = routes.MapGroup("/api/me/settings").WithTags("Auth").RequireSessionCaller();
        group.MapGet("/", GetAsync).WithName("GetAccountSettings").WithSummary("Gets the caller's account settings.");
        group.MapPut("/", PutAsync).WithName("PutAccountSettings")
            .WithSummary("Sets how many days the caller's executions are kept (1 to 365; pinned executions are always kept).");
        return routes;
    }

    public static async Task<Results<Ok<AccountSettingsDto>, NotFound>> GetAsync(
        ClaimsPrincipal user, GraphExecDbContext db, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        var days = await db.Users.Where(u => u.Id == ownerId).Select(u => (int?)u.RetentionDays).SingleOrDefaultAsync(cancellationToken);
        return days is null ? TypedResults.NotFound() : TypedResults.Ok(new AccountSettingsDto(days));
    }

    public static async Task<Results<Ok<AccountSettingsDto>, NotFound, ValidationProblem>> PutAsync(
        AccountSettingsDto? settings, ClaimsPrincipal user, GraphExecDbContext db, CancellationToken cancellationToken)
    {
        if (settings?.RetentionDays is not { } days || days is < User.MinRetentionDays or > User.MaxRetentionDays)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]>
                {
                    ["retentionDays"] = [$"Executions are kept {User.MinRetentionDays} to {User.MaxRetentionDays} days."],
                },
                title: "The settings cannot be saved.");
        }

        var ownerId = user.OwnerId();
        var changed = await db.Users.Where(u => u.Id == ownerId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.RetentionDays, days), cancellationToken);
        return changed == 1 ? TypedResults.Ok(new AccountSettingsDto(days)) : TypedResults.NotFound();
    }
}
