using System.Diagnostics;
using GraphExec.ServiceDefaults;

namespace GraphExec.Webhooks.Tests;

/// <summary>
/// Every delivery starts a trace here, so the ingress is where the trace budget decides what the dashboard receives: the
/// ratio's share, and never more than the cap in a second however many deliveries arrive.
/// </summary>
public sealed class Sampling_traces_within_a_budget
{
    [Test]
    public void Should_sample_no_more_traces_in_a_second_than_the_cap()
    {
        using var budget = new TraceBudget(ratio: 1, perSecond: 3);

        var sampled = Enumerable.Range(0, 100).Count(_ => budget.Samples(ActivityTraceId.CreateRandom(), "POST /hooks", ActivityKind.Server));

        Assert.That(sampled, Is.EqualTo(3));
    }

    [Test]
    public void Should_sample_every_trace_the_ratio_picks_without_a_cap()
    {
        using var budget = new TraceBudget(ratio: 1, perSecond: 0);

        var sampled = Enumerable.Range(0, 1_000).Count(_ => budget.Samples(ActivityTraceId.CreateRandom(), "POST /hooks", ActivityKind.Server));

        Assert.That(sampled, Is.EqualTo(1_000));
    }

    [Test]
    public void Should_spend_nothing_of_the_cap_on_traces_the_ratio_leaves_out()
    {
        using var ratioOnly = new TraceBudget(ratio: 0.5, perSecond: 0);
        var traces = Enumerable.Range(0, 100).Select(_ => ActivityTraceId.CreateRandom()).ToList();
        var picked = traces.Where(trace => ratioOnly.Samples(trace, "POST /hooks", ActivityKind.Server)).ToList();
        using var budget = new TraceBudget(ratio: 0.5, perSecond: picked.Count);

        var sampled = traces.Where(trace => budget.Samples(trace, "POST /hooks", ActivityKind.Server)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(picked, Is.Not.Empty.And.Count.LessThan(traces.Count));
            Assert.That(sampled, Is.EqualTo(picked));
        });
    }
}
