using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using StandardWebhooks;

namespace GraphExec.Load;

/// <summary>
/// Sends signed webhook deliveries round-robin over the webhooks, for a bounded time: open loop at a fixed rate (a late
/// tick sends what fell due, so the rate holds while the client keeps up), or closed loop as fast as they are accepted.
/// A delivery that fails is sent again with the same <c>webhook-id</c> until <paramref name="retryFor"/> has passed, the
/// way a sender that follows the Standard Webhooks spec does. With <paramref name="exactly"/>, the open loop sends that
/// many triggers whatever happens: one that falls due while every request slot is busy waits for a slot instead of
/// being left out, and firing ends when all were sent.
/// </summary>
public sealed class Firing(LoadOptions options, IReadOnlyList<Hook> hooks, TimeSpan retryFor, int? exactly = null) : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly string _query = options.Wait > 0 ? $"?wait={options.Wait}" : "";

    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = options.Concurrency,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    { Timeout = RequestTimeout + TimeSpan.FromSeconds(options.Wait) };

    private readonly Dictionary<Hook, StandardWebhook> _signers = hooks.ToDictionary(h => h, h => new StandardWebhook(h.Secret));
    private readonly ConcurrentQueue<Trigger> _triggers = new();
    private readonly SemaphoreSlim _inFlight = new(options.Concurrency, options.Concurrency);
    private int _next = -1;
    private int _notSent;

    /// <summary>Triggers that were due while <see cref="LoadOptions.Concurrency"/> requests were already in flight.</summary>
    public int NotSent => _notSent;

    public IReadOnlyCollection<Trigger> Triggers => _triggers;

    public async Task<TimeSpan> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (exactly is null)
        {
            stop.CancelAfter(options.Duration);
        }

        var sends = new ConcurrentBag<Task>();
        if (options.Rate > 0)
        {
            await OpenLoopAsync(clock, sends, stop.Token);
        }
        else
        {
            await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => ClosedLoopAsync(stop.Token)));
        }

        var fired = clock.Elapsed;
        await Task.WhenAll(sends);
        return fired;
    }

    private async Task OpenLoopAsync(Stopwatch clock, ConcurrentBag<Task> sends, CancellationToken stop)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(2));
        var sent = 0L;
        try
        {
            while (await tick.WaitForNextTickAsync(stop))
            {
                var due = (long)(clock.Elapsed.TotalSeconds * options.Rate);
                for (; sent < Math.Min(due, exactly ?? long.MaxValue); sent++)
                {
                    if (exactly is not null)
                    {
                        await _inFlight.WaitAsync(stop);
                    }
                    else if (!_inFlight.Wait(0, CancellationToken.None))
                    {
                        Interlocked.Increment(ref _notSent);
                        continue;
                    }

                    sends.Add(SendReleasingAsync());
                }

                if (sent == exactly)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The duration is up.
        }
    }

    private async Task SendReleasingAsync()
    {
        try
        {
            await SendAsync(NextTrigger());
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async Task ClosedLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await SendAsync(NextTrigger());
        }
    }

    private Trigger NextTrigger()
    {
        var index = Interlocked.Increment(ref _next);
        var trigger = new Trigger(index, hooks[index % hooks.Count], $"msg_load_{index}_{Guid.NewGuid():N}");
        _triggers.Enqueue(trigger);
        return trigger;
    }

    /// <summary>Sends until accepted, refused for good (4xx other than 429) or out of retry time; never throws.</summary>
    private async Task SendAsync(Trigger trigger)
    {
        trigger.SentAt = DateTimeOffset.UtcNow;
        var giveUpAt = trigger.SentAt + retryFor;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            trigger.Attempts++;
            var (executionId, failure, retryable, done) = await DeliverAsync(trigger);
            (trigger.ExecutionId, trigger.Failure, trigger.AnsweredWhenDone, trigger.AnsweredAt) = (executionId, failure, done, DateTimeOffset.UtcNow);
            if (failure is null || !retryable || DateTimeOffset.UtcNow + backoff > giveUpAt)
            {
                return;
            }

            await Task.Delay(backoff);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    private async Task<(Guid? ExecutionId, string? Failure, bool Retryable, bool Done)> DeliverAsync(Trigger trigger)
    {
        var body = string.Create(CultureInfo.InvariantCulture, $"{{\"who\":\"load {trigger.Index}\"}}");
        using var request = new HttpRequestMessage(HttpMethod.Post, trigger.Hook.Url + _query)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        var timestamp = DateTimeOffset.UtcNow;
        request.Headers.Add("webhook-id", trigger.DeliveryId);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", _signers[trigger.Hook].Sign(trigger.DeliveryId, timestamp, body));
        try
        {
            using var response = await _client.SendAsync(request);
            if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
            {
                var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
                return (accepted.GetProperty("executionId").GetGuid(), null, false, response.StatusCode == HttpStatusCode.OK);
            }

            var status = (int)response.StatusCode;
            return (null, status.ToString(CultureInfo.InvariantCulture), status is 408 or 429 or >= 500, false);
        }
        catch (TaskCanceledException)
        {
            return (null, "timeout", true, false);
        }
        catch (HttpRequestException exception) when (exception.InnerException is SocketException or IOException)
        {
            return (null, "connection", true, false);
        }
        catch (HttpRequestException)
        {
            return (null, "http", true, false);
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _inFlight.Dispose();
    }
}
