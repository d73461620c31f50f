using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GraphExec.Webhooks.Features.Ingress;

/// <summary>What one step of receiving a delivery produced, or the problem that refuses the delivery at that step.</summary>
public readonly struct Checked<T> where T : class
{
    private readonly T? _value;
    private readonly ProblemHttpResult? _refusal;

    private Checked(T? value, ProblemHttpResult? refusal)
    {
        _value = value;
        _refusal = refusal;
    }

    public static implicit operator Checked<T>(T value) => new(value, null);

    public static implicit operator Checked<T>(ProblemHttpResult refusal) => new(null, refusal);

    /// <returns>True, with the answer in <paramref name="refusal"/>, when the step refused the delivery.</returns>
    public bool IsRefused([NotNullWhen(true)] out ProblemHttpResult? refusal, [NotNullWhen(false)] out T? value)
    {
        refusal = _refusal;
        value = _value;
        return refusal is not null;
    }
}
