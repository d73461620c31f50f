using System.Diagnostics;
using GraphExec.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace GraphExec.Webhooks.Tests;

/// <summary>
/// Every delivery starts a trace here, so the ingress is where the trace budget decides what the dashboard receives: the
/// ratio's share, and never more than the cap in a second however many deliveries arrive. A delivery left out stays out
/// downstream: its run's message carries the unsampled trace to the Worker, whose span continues it instead of starting a
/// trace of its own.
/// </summary>
public sealed class Sampling_traces_within_a_budget
{
    private static readonly ActivitySource Source = new(nameof(Sampling_traces_within_a_budget));
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

    [Test]
    public void Should_give_the_send_of_an_unsampled_delivery_a_context_to_carry_and_drop_its_other_spans()
    {
        var exported = new List<Activity>();
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TraceSampling.RatioKey] = "0" }).Build();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(Source.Name).AddGraphExecSampling(settings).AddInMemoryExporter(exported).Build();

        using var delivery = Source.StartActivity("POST /hooks", ActivityKind.Server);
        using var query = Source.StartActivity("postgresql", ActivityKind.Client);
        query?.Stop();
        using var send = Source.StartActivity("ExecuteGraph send", ActivityKind.Producer);

        Assert.Multiple(() =>
        {
            Assert.That(delivery, Is.Not.Null.And.Property(nameof(Activity.Recorded)).False, "the delivery is recorded, not sampled");
            Assert.That(query, Is.Null, "a local call in an unsampled trace costs nothing");
            Assert.That(send, Is.Not.Null.And.Property(nameof(Activity.Recorded)).False, "the send exists, unsampled");
            Assert.That(send?.ParentSpanId, Is.EqualTo(delivery?.SpanId), "the message continues the delivery's trace");
        });

        send?.Stop();
        delivery?.Stop();
        Assert.That(exported, Is.Empty);
    }
}
