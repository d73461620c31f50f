using System.Text.Json;
using GraphExec.Engine;
using GraphExec.Engine.Secrets;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Engine;

public class Using_secrets
{
    private const string ApiKey = "sk-live-0123456789abcdef";

    private LoopbackServer _server = null!;

    private DictionarySecrets Secrets { get; set; } = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await LoopbackServer.StartAsync();

    [SetUp]
    public void ForgetReads() => Secrets = new(new Dictionary<string, string>
    {
        ["api"] = ApiKey,
        ["multi"] = "first-line-of-key\nsecond-line-of-key",
    });

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Should_send_the_value_but_keep_it_out_of_outputs_and_events()
    {
        var observer = new RecordingObserver();

        var result = await TestGraphs.RunAsync(
            HttpGraph($$"""{ "url": "{{_server.Url}}/headers", "headers": { "Authorization": "Bearer {{"{{secrets.api}}"}}" } }"""),
            observer: observer, catalog: TestGraphs.CatalogAllowing("127.0.0.1"), secrets: Secrets);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Succeeded), result.Error?.Message);
            // The server echoes the header it received: the real value went out, and came back masked.
            Assert.That(result.Node("call").Outputs["body"].Text(), Is.EqualTo("""{"auth":"Bearer ***","apiKey":""}"""));
            Assert.That(result.Outputs["out"].Text(), Is.EqualTo("""{"auth":"Bearer ***","apiKey":""}"""));
            Assert.That(JsonSerializer.Serialize(observer.Events), Does.Not.Contain(ApiKey));
            Assert.That(Secrets.Reads, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Should_mask_a_secret_a_block_routes_into_an_output()
    {
        var result = await TestGraphs.RunAsync("""
            {
              "name": "secrets",
              "nodes": [
                { "id": "leak", "block": "template", "config": { "template": "key={{secrets.api}}; again {{secrets.api}}" } },
                { "id": "out",  "block": "output",   "config": { "name": "out" } }
              ],
              "edges": [ { "from": "leak.text", "to": "out.value" } ]
            }
            """, secrets: Secrets);

        Assert.That(result.Outputs["out"].Text(), Is.EqualTo("\"key=***; again ***\""));
    }

    [Test]
    public async Task Should_mask_each_line_of_a_multi_line_secret()
    {
        var result = await TestGraphs.RunAsync("""
            {
              "name": "secrets",
              "nodes": [
                { "id": "use", "block": "template", "config": { "template": "{{secrets.multi}} / second-line-of-key" } },
                { "id": "out", "block": "output",   "config": { "name": "out" } }
              ],
              "edges": [ { "from": "use.text", "to": "out.value" } ]
            }
            """, secrets: Secrets);

        Assert.That(result.Outputs["out"].Text(), Is.EqualTo("\"*** / ***\""));
    }

    [Test]
    public async Task Should_mask_a_secret_quoted_in_an_error_message()
    {
        var result = await TestGraphs.RunAsync(
            HttpGraph($$"""{ "url": "{{_server.Url}}/missing?key={{"{{secrets.api}}"}}" }"""),
            catalog: TestGraphs.CatalogAllowing("127.0.0.1"), secrets: Secrets);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Failed));
            Assert.That(result.Error!.Message, Does.Contain("/missing?key=***").And.Not.Contain(ApiKey));
            Assert.That(result.Node("call").Error!.Message, Does.Not.Contain(ApiKey));
        });
    }

    [Test]
    public async Task Should_fail_the_node_naming_a_missing_secret_without_retrying()
    {
        var result = await TestGraphs.RunAsync("""
            {
              "name": "secrets",
              "nodes": [
                { "id": "use", "block": "template", "config": { "template": "{{secrets.gone}}" }, "retry": { "maxAttempts": 3, "delayMs": 1, "jitter": false } },
                { "id": "out", "block": "output",   "config": { "name": "out" } }
              ],
              "edges": [ { "from": "use.text", "to": "out.value" } ]
            }
            """, secrets: Secrets);

        var node = result.Node("use");
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(ExecutionStatus.Failed));
            Assert.That(node.Error!.Code, Is.EqualTo(ExecutionError.SecretMissing));
            Assert.That(node.Error.Message, Does.Contain("'gone'"));
            Assert.That(node.Attempts, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Should_fail_a_node_naming_a_secret_when_the_execution_has_none()
    {
        var result = await TestGraphs.RunAsync("""
            { "name": "secrets", "nodes": [ { "id": "use", "block": "template", "config": { "template": "{{secrets.api}}" } } ], "edges": [] }
            """);

        Assert.That(result.Node("use").Error!.Code, Is.EqualTo(ExecutionError.SecretMissing));
    }

    [Test]
    public void Should_list_the_secrets_each_node_names()
    {
        var plan = TestGraphs.Compile("""
            {
              "name": "secrets",
              "nodes": [
                { "id": "a", "block": "template", "config": { "template": "{{secrets.one}} {{secrets.two}} {{secrets.one}}" } },
                { "id": "b", "block": "http",     "config": { "url": "https://example.com/{{secrets.two}}", "headers": { "X-Key": "{{secrets.three}}" } } }
              ],
              "edges": []
            }
            """);

        Assert.That(plan.SecretReferences, Is.EqualTo(new[]
        {
            new SecretReference("a", "one"), new SecretReference("a", "two"), new SecretReference("b", "two"), new SecretReference("b", "three"),
        }));
        Assert.That(plan.Graph.Nodes[0].Id, Is.EqualTo("a"), "a secret is not an input port");
        Assert.That(plan.Inputs, Is.Empty);
    }

    [TestCase("{{secrets}}")]
    [TestCase("{{secrets.a.b}}")]
    public void Should_refuse_a_placeholder_that_does_not_name_one_secret(string template)
    {
        var result = TestGraphs.Validator.Validate($$"""
            { "name": "secrets", "nodes": [ { "id": "a", "block": "template", "config": { "template": "{{template}}" } } ], "edges": [] }
            """);

        Assert.That(result.Errors.Single().Message, Does.Contain("{{secrets.NAME}}"));
    }

    [Test]
    public void Should_refuse_a_secret_in_an_expression()
    {
        var result = TestGraphs.Validator.Validate("""
            { "name": "secrets", "nodes": [ { "id": "a", "block": "expression", "config": { "expression": "[secrets.api] == 'x'" } } ], "edges": [] }
            """);

        Assert.That(result.Errors.Single().Message, Does.Contain("templates only"));
    }

    private static string HttpGraph(string config) => $$"""
        {
          "name": "secrets",
          "nodes": [
            { "id": "call", "block": "http",   "config": {{config}} },
            { "id": "out",  "block": "output", "config": { "name": "out" } }
          ],
          "edges": [ { "from": "call.body", "to": "out.value" } ]
        }
        """;

    private sealed class DictionarySecrets(Dictionary<string, string> values) : ISecretSource
    {
        private int _reads;

        public int Reads => _reads;

        public ValueTask<string?> GetAsync(string name, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return ValueTask.FromResult(values.GetValueOrDefault(name));
        }
    }
}
