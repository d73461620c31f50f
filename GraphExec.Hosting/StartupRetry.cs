using Polly;
using Polly.Retry;

namespace GraphExec.Hosting;

/// <summary>
/// Retries a start-up step that needs a server (migrating the schema, turning queues into quorum queues) until the
/// server answers: exponential backoff with jitter, 250 ms up to 10 s, for as long as it takes, since the process is of
/// no use without the step.
/// </summary>
internal static class StartupRetry
{
    public static ResiliencePipeline UntilAvailable(Func<Exception, bool> unavailable, Action<TimeSpan, string?> retrying) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle(unavailable),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(10),
                OnRetry = arguments =>
                {
                    retrying(arguments.RetryDelay, arguments.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
