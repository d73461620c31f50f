using GraphExec.Core.Quotas;
using GraphExec.Core.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GraphExec.Hosting;

/// <summary>The problem document of a quota refusal, the same from every service: it names the quota and its value.</summary>
public static class QuotaProblems
{
    /// <summary>
    /// 403 for a quota on what a user keeps (graphs, webhooks, schedules, bytes, a schedule's interval): asking again does
    /// not help until something is deleted or the quota raised.
    /// </summary>
    public static ProblemHttpResult Kept(QuotaExceeded exceeded) => Of(exceeded, StatusCodes.Status403Forbidden);

    /// <summary>
    /// 429 with <c>Retry-After</c> for the quota on what a user has waiting (queued executions): it frees itself as runs
    /// start, so a sender that retries later (every webhook sender does) gets through.
    /// </summary>
    public static ProblemHttpResult Waiting(QuotaExceeded exceeded, HttpResponse response)
    {
        response.Headers.RetryAfter = "30";
        return Of(exceeded, StatusCodes.Status429TooManyRequests);
    }

    private static ProblemHttpResult Of(QuotaExceeded exceeded, int status)
    {
        PlatformMetrics.QuotaRefused(exceeded.Quota);
        return TypedResults.Problem(
            title: "Over quota.",
            detail: exceeded.Message,
            statusCode: status,
            extensions: new Dictionary<string, object?> { ["quota"] = exceeded.Quota, ["limit"] = exceeded.Limit });
    }
}
