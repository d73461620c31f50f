using System.Diagnostics;
using System.Globalization;
using NUnit.Framework;

namespace GraphExec.Testing;

/// <summary>
/// Observes until a condition holds, and fails the test naming what it waited for once the deadline has passed. The
/// deadline is generous, only to end a hung test: a wait is never an assertion about speed.
/// </summary>
public static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <param name="what">What is awaited, for the failure message: "execution 42 to end".</param>
    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(condition, holds => holds, what, timeout);

    /// <inheritdoc cref="UntilAsync(Func{Task{bool}}, string, TimeSpan?)"/>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), holds => holds, what, timeout);

    /// <summary>Reads until what is read satisfies <paramref name="holds"/>, and answers that last reading.</summary>
    /// <param name="what">What is awaited, for the failure message: "three scheduled runs to succeed".</param>
    /// <param name="describe">Describes the last reading in the failure message.</param>
    public static async Task<T> UntilAsync<T>(
        Func<Task<T>> read, Func<T, bool> holds, string what, TimeSpan? timeout = null, Func<T, string>? describe = null)
    {
        var patience = timeout ?? DefaultTimeout;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (holds(value))
            {
                return value;
            }

            if (waited.Elapsed > patience)
            {
                var seconds = patience.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
                var last = describe is null ? "" : $" Last seen: {describe(value)}";
                Assert.Fail($"Waited {seconds} s for {what}, in vain.{last}");
            }

            await Task.Delay(Interval);
        }
    }
}
