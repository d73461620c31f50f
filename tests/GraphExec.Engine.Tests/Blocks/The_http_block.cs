using GraphExec.Engine;
using GraphExec.Engine.Blocks;
using GraphExec.Engine.Tests.Support;

namespace GraphExec.Engine.Tests.Blocks;

public class The_http_block
{
    private LoopbackServer _server = null!;
    private BlockCatalog _allowed = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await LoopbackServer.StartAsync();
        _allowed = TestGraphs.CatalogAllowing("127.0.0.1");
    }

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Should_refuse_a_loopback_address_by_default()
    {
        var before = _server.Requests;

        var node = await Call($$"""{ "url": "{{_server.Url}}/users/1" }""", catalog: TestGraphs.Catalog);

        Assert.That(node.Status, Is.EqualTo(NodeStatus.Failed));
        Assert.That(node.Error!.Message, Is.EqualTo(
            "Refused to connect to '127.0.0.1': it is a private, loopback, link-local or metadata address, which graphs may not reach unless the host allow-lists it."));
        Assert.That(_server.Requests, Is.EqualTo(before), "no request may reach the server");
    }

    [Test]
    public async Task Should_refuse_a_host_name_that_resolves_to_loopback()
    {
        var node = await Call($$"""{ "url": "{{_server.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)}}/users/1" }""", catalog: TestGraphs.Catalog);

        // The message names the host asked for, never the address it resolved to: that would map the internal network.
        Assert.That(node.Error!.Message, Is.EqualTo(
            "Refused to connect to 'localhost': it is a private, loopback, link-local or metadata address, which graphs may not reach unless the host allow-lists it."));
    }

    [Test]
    public async Task Should_call_an_allow_listed_address_with_templated_url_and_headers()
    {
        var node = await Call(
            $$"""{ "url": "{{_server.Url}}/users/{{"{{id}}"}}", "headers": { "Authorization": "Bearer {{"{{token}}"}}" } }""",
            """{ "id": 42, "token": "t0k" }""");

        Assert.Multiple(() =>
        {
            Assert.That(node.Error, Is.Null);
            Assert.That(node.Outputs["status"]!.GetValue<int>(), Is.EqualTo(200));
            Assert.That(node.Outputs["body"]!.ToJsonString(), Is.EqualTo("""{"id":"42","auth":"Bearer t0k"}"""));
            Assert.That(node.Outputs["headers"]!["content-type"]!.GetValue<string>(), Does.StartWith("application/json"));
        });
    }

    [Test]
    public async Task Should_allow_a_host_by_name()
    {
        var node = await Call($$"""{ "url": "{{_server.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)}}/text" }""",
            catalog: TestGraphs.CatalogAllowing("localhost"));

        Assert.That(node.Outputs["body"]!.GetValue<string>(), Is.EqualTo("plain words"));
    }

    [Test]
    public async Task Should_send_a_json_body_keeping_the_types_of_whole_values()
    {
        var node = await Call(
            $$"""{ "method": "POST", "url": "{{_server.Url}}/echo", "body": { "order": "{{"{{order}}"}}", "note": "by {{"{{who}}"}}" } }""",
            """{ "order": { "id": 7 }, "who": "Ada" }""");

        Assert.That(node.Outputs["body"]!.ToJsonString(), Is.EqualTo("""{"order":{"id":7},"note":"by Ada"}"""));
    }

    [Test]
    public async Task Should_fail_on_an_error_status_unless_told_not_to()
    {
        var failing = await Call($$"""{ "url": "{{_server.Url}}/missing" }""");
        var accepted = await Call($$"""{ "url": "{{_server.Url}}/missing", "failOnErrorStatus": false }""");

        Assert.That(failing.Error!.Message, Is.EqualTo($"GET {_server.Url}/missing answered 404 Not Found."));
        Assert.That(accepted.Outputs["status"]!.GetValue<int>(), Is.EqualTo(404));
    }

    [Test]
    public async Task Should_refuse_a_response_over_the_size_limit()
    {
        var node = await Call($$"""{ "url": "{{_server.Url}}/big", "maxResponseBytes": 1000 }""");

        Assert.That(node.Error!.Message, Is.EqualTo("The response is larger than 1000 bytes."));
    }

    [Test]
    public async Task Should_follow_a_redirect_to_an_allowed_address()
    {
        var node = await Call($$"""{ "url": "{{_server.Url}}/redirect?to={{Uri.EscapeDataString(_server.Url + "/text")}}" }""");

        Assert.That(node.Outputs["body"]!.GetValue<string>(), Is.EqualTo("plain words"));
    }

    [Test]
    public async Task Should_check_every_redirect_against_the_guard()
    {
        // Only 127.0.0.1 is allowed; the redirect leads to another loopback address, which must be refused before connecting.
        var target = _server.Url.Replace("127.0.0.1", "127.0.0.2", StringComparison.Ordinal) + "/text";

        var node = await Call($$"""{ "url": "{{_server.Url}}/redirect?to={{Uri.EscapeDataString(target)}}" }""", catalog: TestGraphs.CatalogAllowing("127.0.0.1/32"));

        Assert.That(node.Error!.Message, Does.StartWith("Refused to connect to '127.0.0.2': it is a private"));
    }

    [Test]
    public async Task Should_send_its_headers_on_a_redirect_within_the_origin()
    {
        var node = await Call(Redirected(_server.Url + "/headers"), """{ "key": "k3y" }""");

        Assert.That(node.Outputs["body"]!.ToJsonString(), Is.EqualTo("""{"auth":"Bearer t0k","apiKey":"k3y"}"""));
    }

    [Test]
    public async Task Should_send_none_of_its_headers_on_a_redirect_to_another_origin()
    {
        // Same host, another port: another origin, as another host or an https to http downgrade would be.
        await using var other = await LoopbackServer.StartAsync();

        var node = await Call(Redirected(other.Url + "/headers"), """{ "key": "k3y" }""");

        Assert.That(node.Outputs["body"]!.ToJsonString(), Is.EqualTo("""{"auth":"","apiKey":""}"""));
    }

    [Test]
    public async Task Should_not_send_its_headers_back_to_the_origin_after_leaving_it()
    {
        await using var other = await LoopbackServer.StartAsync();
        var back = other.Url + "/redirect?to=" + Uri.EscapeDataString(_server.Url + "/headers");

        var node = await Call(Redirected(back), """{ "key": "k3y" }""");

        Assert.That(node.Outputs["body"]!.ToJsonString(), Is.EqualTo("""{"auth":"","apiKey":""}"""));
    }

    [TestCase("/nul", "Output 'body' cannot be stored. This text holds the character U+0000")]
    [TestCase("/nul-json", "Output 'body' at /name cannot be stored. This text holds the character U+0000")]
    public async Task Should_fail_cleanly_on_a_response_whose_text_cannot_be_stored(string path, string message)
    {
        var node = await Call($$"""{ "url": "{{_server.Url}}{{path}}" }""");

        Assert.That(node.Status, Is.EqualTo(NodeStatus.Failed));
        Assert.That(node.Error!.Code, Is.EqualTo("value_not_storable"));
        Assert.That(node.Error.Message, Does.StartWith(message));
        Assert.That(node.Outputs, Is.Empty);
    }

    [Test]
    public async Task Should_stop_building_a_body_that_repeats_an_input_past_the_value_limit_and_send_nothing()
    {
        var before = _server.Requests;
        var items = string.Join(", ", Enumerable.Repeat("\"{{v}}\"", 50));

        var node = await OneNode.RunAsync(
            "http", $$"""{ "method": "POST", "url": "{{_server.Url}}/echo", "body": [{{items}}] }""", $$"""{ "v": "{{new string('x', 100)}}" }""",
            engine: new GraphEngine(new ExecutionOptions { MaxValueBytes = 1000 }), catalog: _allowed);

        Assert.That(node.Error, Is.EqualTo(new ExecutionError("value_too_large", "The value being built is larger than the limit of 1000 bytes for a value.", "node")));
        Assert.That(_server.Requests, Is.EqualTo(before), "nothing was sent");
    }

    [Test]
    public async Task Should_refuse_a_url_that_is_not_http()
    {
        var node = await Call("""{ "url": "file:///etc/passwd" }""");

        Assert.That(node.Error!.Message, Is.EqualTo("'file:///etc/passwd' is not an http or https URL."));
    }

    /// <summary>A request to this server that redirects to <paramref name="target"/>, with a credential and an API key header.</summary>
    private string Redirected(string target) =>
        $$"""{ "url": "{{_server.Url}}/redirect?to={{Uri.EscapeDataString(target)}}", "headers": { "Authorization": "Bearer t0k", "X-Api-Key": "{{"{{key}}"}}" } }""";

    private Task<NodeResult> Call(string config, string? inputs = null, BlockCatalog? catalog = null) =>
        OneNode.RunAsync("http", config, inputs, catalog: catalog ?? _allowed);
}
