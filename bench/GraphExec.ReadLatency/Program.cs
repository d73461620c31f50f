using System.Globalization;
using GraphExec.ReadLatency;

// Read latency through the Api as the stored executions grow: seeds its own database with N executions (and their node
// results) by SQL, then times reads over HTTP at each N. The point is that none of them grows with N.
// Usage: dotnet run -c Release --project bench/GraphExec.ReadLatency -- [N ...] [--requests R] [--users U] [--explain]
//   N: stored executions at which to measure, ascending (default 10000 1000000); the database grows from one to the next.
//   --requests: timed requests per read (default 2,000, after 100 untimed); --users: owners the executions are spread
//   over (default 10, each with 10 graphs); --explain: print the PostgreSQL plan of each list page at each N.
var sizes = new List<int>();
var requests = 2_000;
var users = 10;
var explain = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--requests":
            requests = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--users":
            users = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--explain":
            explain = true;
            break;
        default:
            sizes.Add(int.Parse(args[i], CultureInfo.InvariantCulture));
            break;
    }
}

await ReadBench.RunAsync(new ReadBenchOptions(
    Sizes: sizes.Count > 0 ? [.. sizes.Order()] : [10_000, 1_000_000],
    Requests: requests,
    Users: users,
    Explain: explain));
