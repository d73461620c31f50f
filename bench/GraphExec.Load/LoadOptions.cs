using System.Globalization;

namespace GraphExec.Load;

/// <summary>What one load run does; every target must be a loopback address.</summary>
public sealed record LoadOptions
{
    /// <summary>The Api, for sign-up, graphs, webhooks and reading the executions back.</summary>
    public Uri Api { get; init; } = new("http://127.0.0.1:5001");

    /// <summary>Where the webhooks are sent; null takes the URL the Api gives for each webhook.</summary>
    public Uri? Hooks { get; init; }

    /// <summary>Triggers per second, or 0 for as fast as they are accepted with <see cref="Concurrency"/> in flight.</summary>
    public double Rate { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Fired the same way before the measured part and left out of the figures: connections, JIT, caches.</summary>
    public TimeSpan Warmup { get; init; }

    /// <summary>Tenants, each a user with its own graph (sign-up is limited to 30 a minute per address).</summary>
    public int Users { get; init; } = 4;

    /// <summary>Webhooks per tenant: each has its own rate limit (100 deliveries/s per Webhooks instance by default).</summary>
    public int HooksPerUser { get; init; } = 5;

    /// <summary>
    /// Seconds each delivery asks the ingress to wait for its run (<c>?wait=</c>, at most 30), or 0 for none. The ingress
    /// then answers when the run ends, so a request slot is held for the whole run: the closed loop keeps
    /// <see cref="Concurrency"/> runs in flight, not requests, as a sender that waits for the result does (and as n8n's
    /// respond-when-done webhooks were measured).
    /// </summary>
    public int Wait { get; init; }

    /// <summary>Requests in flight at most: the closed loop's width, and the open loop's ceiling.</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>How long to wait, after the last trigger, for every accepted execution to end.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Executions read in detail (nodes and their start times) for the first-node latency, spread evenly.</summary>
    public int DetailSample { get; init; } = 2_000;

    /// <summary>
    /// Processes whose CPU time is reported per execution, each with its descendants: PIDs, or pid files (a path ending
    /// in <c>.pid</c>, as <c>eng/servers.sh</c> writes them). This client is always measured.
    /// </summary>
    public IReadOnlyList<string> CpuOf { get; init; } = [];

    public string? JsonPath { get; init; }

    public string? MarkdownPath { get; init; }

    /// <summary>A few words for the report: what the machine was doing, which change was measured.</summary>
    public string Label { get; init; } = "";

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--api" => options with { Api = new Uri(value) },
                "--hooks" => options with { Hooks = new Uri(value) },
                "--rate" => options with { Rate = value == "max" ? 0 : double.Parse(value, CultureInfo.InvariantCulture) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--users" => options with { Users = int.Parse(value, CultureInfo.InvariantCulture) },
                "--hooks-per-user" => options with { HooksPerUser = int.Parse(value, CultureInfo.InvariantCulture) },
                "--wait" => options with { Wait = int.Parse(value, CultureInfo.InvariantCulture) },
                "--concurrency" => options with { Concurrency = int.Parse(value, CultureInfo.InvariantCulture) },
                "--drain" => options with { Drain = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--detail-sample" => options with { DetailSample = int.Parse(value, CultureInfo.InvariantCulture) },
                "--cpu-of" => options with { CpuOf = [.. options.CpuOf, .. value.Split(',', StringSplitOptions.RemoveEmptyEntries)] },
                "--json" => options with { JsonPath = value },
                "--markdown" => options with { MarkdownPath = value },
                "--label" => options with { Label = value },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
            i++;
        }

        Loopback.Require(options.Api);
        if (options.Hooks is not null)
        {
            Loopback.Require(options.Hooks);
        }

        return options.Users < 1 || options.HooksPerUser < 1 || options.Concurrency < 1 || options.Rate < 0 || options.Duration <= TimeSpan.Zero
            || options.Wait is < 0 or > 30
            ? throw new ArgumentException("--users, --hooks-per-user and --concurrency must be at least 1, --rate at least 0, --duration positive, --wait 0 to 30")
            : options;
    }
}
