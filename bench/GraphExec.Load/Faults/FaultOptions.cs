using System.Globalization;

namespace GraphExec.Load.Faults;

/// <summary>A fault run: <see cref="Triggers"/> deliveries at <see cref="LoadOptions.Rate"/> while workers die and servers restart.</summary>
public sealed record FaultOptions(LoadOptions Load, int Triggers, int Workers, TimeSpan KillEvery)
{
    public static FaultOptions Parse(IReadOnlyList<string> args)
    {
        var (triggers, workers, killEvery) = (5_000, 3, TimeSpan.FromSeconds(5));
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--triggers" when i + 1 < args.Count:
                    triggers = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--workers" when i + 1 < args.Count:
                    workers = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--kill-every" when i + 1 < args.Count:
                    killEvery = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        // The services are started here, on loopback; a rate is needed to spread the triggers over the faults.
        var load = LoadOptions.Parse(rest);
        load = load with
        {
            Rate = load.Rate > 0 ? load.Rate : 100,
            Drain = rest.Contains("--drain") ? load.Drain : TimeSpan.FromMinutes(5),
            Concurrency = rest.Contains("--concurrency") ? load.Concurrency : 256,
        };
        load = load with { Duration = TimeSpan.FromSeconds(triggers / load.Rate) };
        return triggers < 1 || workers < 2 || killEvery <= TimeSpan.Zero
            ? throw new ArgumentException("--triggers must be at least 1, --workers at least 2 (one must live), --kill-every positive")
            : new FaultOptions(load, triggers, workers, killEvery);
    }
}
