extern alias worker;

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphExec.Engine;
using GraphExec.ServiceDefaults;
using GraphExec.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Trace;

namespace GraphExec.Webhooks.Tests;

/// <summary>
/// What an operator finds in the dashboard for a webhook run: one trace from the delivery's request through the Worker,
/// the execution named by its id on both, and a span per node of the graph under the Worker's. The Webhooks and a Worker
/// run in this process with every trace sampled; spans are read from the Webhooks' in-memory exporter, which sees the
/// Worker's too (an activity listener hears every source of its process).
/// </summary>
public sealed class Tracing_a_webhook_run
{
    private static readonly Dictionary<string, string?> Sampled = new() { [TraceSampling.RatioKey] = "1" };

    [Test]
    public void Should_have_the_engine_spans_in_the_source_every_service_exports() =>
        Assert.That(ExecutionTracing.SourceName, Is.EqualTo(Telemetry.GraphExec));

    [Test]
    public async Task Should_make_one_trace_from_the_delivery_to_a_span_per_node()
    {
        var spans = new ExportedSpans();
        await using var hooks = new HooksApp(Sampled, services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        await using var runner = await StartWorkerAsync();
        var webhook = await hooks.CreateWebhookAsync();

        using var client = hooks.CreateClient();
        using var response = await client.SendAsync(Signing.Delivery(webhook.Id, webhook.Secret, """{"who":"Ada"}"""));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var executionId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetGuid();

        // The Worker's span ends last, once the outcome is stored.
        var run = await Poll.UntilAsync(
            () => Task.FromResult(spans.Snapshot().FirstOrDefault(span => span.Kind == ActivityKind.Consumer && Names(span, executionId))),
            span => span is not null,
            $"the Worker's span of execution {executionId}");
        var trace = spans.Snapshot().Where(span => span.TraceId == run!.TraceId).ToList();
        var nodes = trace.Where(span => span.Source.Name == ExecutionTracing.SourceName && span.OperationName.StartsWith("node ", StringComparison.Ordinal))
            .OrderBy(span => span.StartTimeUtc)
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(run!.GetTagItem(ExecutionTracing.GraphId), Is.EqualTo(webhook.GraphId));
            Assert.That(run.GetTagItem(ExecutionTracing.GraphVersion), Is.EqualTo(1));
            Assert.That(run.GetTagItem(ExecutionTracing.ExecutionStatus), Is.EqualTo(nameof(ExecutionStatus.Succeeded)));
            Assert.That(
                trace.Where(span => span.ParentSpanId == default).Select(span => (span.Kind, Names(span, executionId))),
                Is.EqualTo(new[] { (ActivityKind.Server, true) }),
                "one root: the delivery's request, naming the execution");
            Assert.That(
                spans.Snapshot().Where(span => Names(span, executionId)).Select(span => span.TraceId).Distinct().Count(),
                Is.EqualTo(1),
                "every span naming the execution is in the one trace");
            Assert.That(
                nodes.Select(span => (span.DisplayName, span.GetTagItem(ExecutionTracing.BlockType), span.GetTagItem(ExecutionTracing.NodeStatus))),
                Is.EqualTo(new[]
                {
                    ("node who", (object?)"input", (object?)"Succeeded"),
                    ("node greet", "template", "Succeeded"),
                    ("node out", "output", "Succeeded"),
                }));
            Assert.That(nodes.Select(span => span.ParentSpanId), Has.All.EqualTo(run.SpanId), "node spans are the Worker span's children");
            Assert.That(nodes.Select(span => span.Status), Has.All.EqualTo(ActivityStatusCode.Unset));
        });
    }

    private static bool Names(Activity span, Guid executionId) => span.GetTagItem(ExecutionTracing.ExecutionId) is Guid id && id == executionId;

    /// <summary>A Worker in this process on the run's servers, every trace sampled; started once healthy (migrated, its queues declared).</summary>
    private static async Task<WebApplicationFactory<worker::Program>> StartWorkerAsync()
    {
        var runner = new WebApplicationFactory<worker::Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in RealServersSetUp.Isolated.ServiceSettings())
            {
                host.UseSetting(key, value);
            }

            host.UseSetting(TraceSampling.RatioKey, "1");
        });
        var health = runner.Services.GetRequiredService<HealthCheckService>();
        await Poll.UntilAsync(async () => (await health.CheckHealthAsync()).Status == HealthStatus.Healthy, "the Worker to become healthy");
        return runner;
    }
}
