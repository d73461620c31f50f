using Microsoft.AspNetCore.Authorization;

namespace GraphExec.Api.Infrastructure;

/// <summary>
/// Only a signed-in person's session passes: a personal access token may not create, list or revoke tokens, nor end
/// sessions, so that a leaked token cannot make itself a successor or lock its owner out.
/// </summary>
public sealed class SessionCallerRequirement : AuthorizationHandler<SessionCallerRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SessionCallerRequirement requirement)
    {
        if (context.User.IsPersonalAccessToken())
        {
            context.Fail(new AuthorizationFailureReason(this, "A personal access token cannot manage tokens or sessions; sign in to do that."));
        }
        else
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
