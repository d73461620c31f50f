namespace GraphExec.Core.Data.Partitioning;

/// <summary>A range partition: the rows whose key lies in [<see cref="From"/>, <see cref="To"/>).</summary>
/// <param name="From">Null for the partition that starts at MINVALUE (the table as it was before partitioning).</param>
public sealed record TimePartition(string Name, DateTimeOffset? From, DateTimeOffset To);
