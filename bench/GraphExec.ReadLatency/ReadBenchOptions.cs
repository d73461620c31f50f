namespace GraphExec.ReadLatency;

/// <param name="Sizes">The numbers of stored executions to measure at, ascending.</param>
/// <param name="Requests">Timed requests per kind of read.</param>
/// <param name="Users">Owners the executions are spread over.</param>
/// <param name="Explain">Whether to print the plan of each list page.</param>
public sealed record ReadBenchOptions(IReadOnlyList<int> Sizes, int Requests, int Users, bool Explain);
