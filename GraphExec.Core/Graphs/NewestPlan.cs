using GraphExec.Engine;

namespace GraphExec.Core.Graphs;

/// <summary>What <see cref="NewestPlans"/> found for a graph; each service answers the cases other than found its own way.</summary>
public abstract record NewestPlan
{
    private NewestPlan()
    {
    }

    /// <summary>The graph's newest version and its compiled plan: what a run checks its inputs against and pins.</summary>
    public sealed record Found(int Version, ExecutionPlan Plan) : NewestPlan;

    /// <summary>The owner has no such graph, or deleted it.</summary>
    public sealed record NotFound : NewestPlan;

    /// <summary>The newest version was valid when saved and no longer validates; <see cref="Message"/> says why.</summary>
    public sealed record NoLongerValid(int Version, string Message) : NewestPlan;
}
