using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace GraphExec.Engine.Tests.Support;

/// <summary>
/// A fake clock that reports each timer the code under test starts, so a test can wait until the
/// engine is actually waiting before moving time, instead of sleeping and hoping.
/// </summary>
public sealed class ManualClock : FakeTimeProvider
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public ManualClock()
        : base(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _timers.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    /// <summary>Waits for the next <paramref name="count"/> timers to start and returns their due times.</summary>
    public async Task<TimeSpan[]> NextTimersAsync(int count)
    {
        var timers = new TimeSpan[count];
        for (var i = 0; i < count; i++)
        {
            timers[i] = await NextTimerAsync();
        }

        return timers;
    }

    /// <summary>Fires the next <paramref name="count"/> timers one after another, each when it starts; returns their due times.</summary>
    public async Task<TimeSpan[]> FireTimersAsync(int count)
    {
        var timers = new TimeSpan[count];
        for (var i = 0; i < count; i++)
        {
            timers[i] = await NextTimerAsync();
            Advance(timers[i]);
        }

        return timers;
    }

    /// <summary>The due time of the next timer started (or already started and not yet taken).</summary>
    public async Task<TimeSpan> NextTimerAsync()
    {
        using var guard = new CancellationTokenSource(HangGuard);
        return await _timers.Reader.ReadAsync(guard.Token);
    }
}
