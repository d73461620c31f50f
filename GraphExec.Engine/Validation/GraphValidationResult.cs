using System.Diagnostics.CodeAnalysis;
using GraphExec.Engine;
using GraphExec.Engine.Graphs;

namespace GraphExec.Engine.Validation;

/// <summary>Either every problem found in a graph, or the graph and its compiled plan.</summary>
public sealed record GraphValidationResult
{
    public IReadOnlyList<ValidationError> Errors { get; init; } = [];

    /// <summary>The graph as read, when its JSON had the right shape (even if other checks failed).</summary>
    public GraphDefinition? Graph { get; init; }

    /// <summary>The plan to run, when the graph is valid.</summary>
    public ExecutionPlan? Plan { get; init; }

    [MemberNotNullWhen(true, nameof(Graph), nameof(Plan))]
    public bool IsValid => Plan is not null;
}
