using GraphExec.Core.Data;
using GraphExec.Engine;
using Microsoft.EntityFrameworkCore;

namespace GraphExec.Webhooks.Features.Ingress;

/// <summary>The optional <c>?wait=</c> of a delivery: polls its execution until it finishes or the wait is over.</summary>
public static class CompletionWait
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <returns>The finished execution, or null when it is still queued or running at the end of the wait.</returns>
    public static async Task<WebhookCompleted?> ForCompletionAsync(
        GraphExecDbContext db, Guid ownerId, Guid executionId, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var execution = await db.Executions.AsNoTracking()
                .Where(e => e.OwnerId == ownerId && e.Id == executionId)
                .Select(e => new { e.Status, e.Outputs, e.Error })
                .SingleAsync(cancellationToken);
            if (execution.Status is not (ExecutionStatus.Queued or ExecutionStatus.Running))
            {
                return new WebhookCompleted(executionId, execution.Status, JsonColumns.ParseOrNull(execution.Outputs), JsonColumns.ParseOrNull(execution.Error));
            }

            if (time.GetUtcNow() + PollInterval > deadline)
            {
                return null;
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }
}
