using GraphExec.Core.Data;
using GraphExec.Engine;

namespace GraphExec.Core.Executions;

/// <summary>An execution this worker holds the lease of, as the claim read it.</summary>
/// <param name="Attempt">The claim's number; with the instance id it fences every later write.</param>
/// <param name="Takeover">Whether another worker had claimed it before (its lease expired).</param>
/// <param name="RetryOf">The execution it retries from its failed node: it starts with the nodes reused from there.</param>
public sealed record Claim(
    Guid OwnerId,
    Guid ExecutionId,
    string LeaseOwner,
    int Attempt,
    bool Takeover,
    Guid GraphId,
    int GraphVersion,
    TriggerKind Trigger,
    bool Live,
    string Inputs,
    long LastSequence,
    Guid? RetryOf = null);

/// <summary>What a claim found.</summary>
public enum ClaimOutcome
{
    /// <summary>This worker now holds the lease.</summary>
    Claimed,

    /// <summary>The owner runs as many executions as allowed; it waits to be woken.</summary>
    Parked,

    /// <summary>Another worker holds a valid lease.</summary>
    HeldElsewhere,

    /// <summary>It has already ended (or was cancelled before it started).</summary>
    Finished,

    NotFound,
}

public sealed record ClaimResult(ClaimOutcome Outcome, Claim? Claim = null);

/// <summary>A claim asked of <see cref="ExecutionStore"/>, waiting for its batch.</summary>
internal sealed record ClaimRequest(Guid OwnerId, Guid ExecutionId, string Instance, TimeSpan Lease, int MaxRunningPerOwner);

/// <summary>A run's outcome to store, waiting for its batch; <paramref name="HasBlobs"/> when its outputs reference a blob.</summary>
internal sealed record Finish(
    Claim Claim, IReadOnlyCollection<NodeRow> Nodes, ExecutionStatus Status, string Outputs, string? Error, DateTimeOffset FinishedAt, long LastSequence,
    bool HasBlobs)
{
    /// <summary>Whether anything this finish stores references a blob.</summary>
    public bool References => HasBlobs || Nodes.Any(node => node.HasBlobs);
}
