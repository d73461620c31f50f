using System.Security.Claims;
using GraphExec.Core.Data;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Api.Features.Executions;

/// <summary>
/// Pinning an execution keeps it past its owner's retention (docs/scaling.md): the retention job moves it aside when its
/// day's partition is dropped, and never deletes it while pinned.
/// </summary>
public static class ExecutionPinsApi
{
    public static IEndpointRouteBuilder MapExecutionPinsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/executions").WithTags("Executions");
        group.MapPut("/{id:guid}/pin", PinAsync).WithName("PinExecution")
            .WithSummary("Keeps the execution however old it gets, until unpinned.");
        group.MapDelete("/{id:guid}/pin", UnpinAsync).WithName("UnpinExecution")
            .WithSummary("Lets the execution expire with its owner's retention again.");
        return routes;
    }

    public static Task<Results<NoContent, NotFound>> PinAsync(Guid id, ClaimsPrincipal user, GraphExecDbContext db, CancellationToken cancellationToken) =>
        SetAsync(id, pinned: true, user, db, cancellationToken);

    public static Task<Results<NoContent, NotFound>> UnpinAsync(Guid id, ClaimsPrincipal user, GraphExecDbContext db, CancellationToken cancellationToken) =>
        SetAsync(id, pinned: false, user, db, cancellationToken);

    private static async Task<Results<NoContent, NotFound>> SetAsync(
        Guid id, bool pinned, ClaimsPrincipal user, GraphExecDbContext db, CancellationToken cancellationToken)
    {
        var ownerId = user.OwnerId();
        var changed = await db.Executions.Where(e => e.OwnerId == ownerId && e.Id == id)
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.Pinned, pinned), cancellationToken);
        return changed == 1 ? TypedResults.NoContent() : TypedResults.NotFound();
    }
}
