using GraphExec.Contracts;
using GraphExec.Web.Account;
using GraphExec.Web.Api;

namespace GraphExec.Web.Schedules;

/// <summary>
/// The next fire times of the cron expression a person is typing, asked of the Api so that the preview follows the very
/// rules the Scheduler fires by. It asks after a short pause in the typing, and keeps only the answer to the newest text.
/// </summary>
public sealed class CronPreview(ApiClient api)
{
    private static readonly TimeSpan TypingPause = TimeSpan.FromMilliseconds(250);

    private int _asked;

    /// <summary>The fire times in <see cref="TimeZone"/>, or the messages that say what is wrong with the text.</summary>
    public sealed record Result(string TimeZone, IReadOnlyList<DateTimeOffset> Times, IReadOnlyList<string> Errors);

    /// <summary>Null while the cron is empty and before the first answer.</summary>
    public Result? Current { get; private set; }

    /// <returns>True when <see cref="Current"/> changed.</returns>
    public async Task<bool> UpdateAsync(string cron, string timeZone, CancellationToken cancellationToken)
    {
        var ask = ++_asked;
        if (string.IsNullOrWhiteSpace(cron))
        {
            Current = null;
            return true;
        }

        Result result;
        try
        {
            await Task.Delay(TypingPause, cancellationToken);
            if (ask != _asked)
            {
                return false;
            }

            var preview = await api.PreviewScheduleAsync(cron.Trim(), timeZone.Trim(), cancellationToken);
            result = new Result(timeZone.Trim(), preview.NextFireTimes, []);
        }
        catch (ApiProblem problem)
        {
            result = new Result(timeZone.Trim(), [], problem.Issues.Count > 0 ? problem.Issues.Select(i => i.Message).ToList() : [problem.Message]);
        }
        catch (Exception exception) when (exception is SessionExpiredException
            || (exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // The page was left, or the session ended: saving the schedule is what sends the person to sign in again.
            return false;
        }

        if (ask != _asked)
        {
            return false;
        }

        Current = result;
        return true;
    }
}
