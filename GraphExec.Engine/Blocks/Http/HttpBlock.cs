using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphExec.Engine.Blocks.Templating;
using GraphExec.Engine.Json;

namespace GraphExec.Engine.Blocks.Http;

/// <summary>
/// Sends an HTTP request built from templates. The only block that touches the network, so it owns
/// the guard: redirects are followed here, one hop at a time, so that every hop connects through
/// <see cref="SsrfGuard"/>; once a redirect leaves the request's origin (scheme, host and port: an https to http
/// downgrade too), none of the graph's headers goes further; bodies are read up to a limit.
/// </summary>
internal sealed class HttpBlock : Block<HttpConfig>
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    private readonly HttpBlockOptions _options;
    private readonly Lazy<HttpClient> _client;

    public HttpBlock(HttpBlockOptions options)
        : base(Describe(options), BlockConfigJsonContext.Default.HttpConfig)
    {
        _options = options;
        var guard = new SsrfGuard(options.AllowList);
        _client = new Lazy<HttpClient>(() => new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = guard.ConnectAsync,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = options.MaxResponseBytes,
        });
    }

    protected override BlockNode Bind(HttpConfig config, ICollection<ConfigError> errors)
    {
        var ports = new VariablePorts();
        var url = Template.Parse(config.Url, ports, "/url", errors);
        var headers = (config.Headers ?? [])
            .Select(header => (header.Key, Value: Template.Parse(header.Value, ports, JsonPointer.Append("/headers", header.Key), errors)))
            .ToArray();
        var body = config.Body is { } json ? JsonTemplate.Parse(json, ports, "/body", errors) : null;
        var method = config.Method ?? "GET";
        if (body is not null && method is "GET" or "HEAD")
        {
            errors.Add(new ConfigError("/body", $"A {method} request has no body."));
        }

        var timeout = config.TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : _options.DefaultTimeout;
        if (timeout > _options.MaxTimeout)
        {
            errors.Add(new ConfigError("/timeoutMs", $"Must be at most {_options.MaxTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}."));
        }

        var request = new RequestTemplate(new HttpMethod(method), url!, headers!, body, config.Body?.ValueKind == JsonValueKind.String);
        var limits = new ResponseLimits(timeout, config.MaxResponseBytes ?? _options.MaxResponseBytes, config.FailOnErrorStatus ?? true);
        return new Node(this, request, limits, ports);
    }

    private static BlockDescriptor Describe(HttpBlockOptions options) => new()
    {
        Name = "http",
        Description = "Sends an HTTP request. 'url', header values and strings in 'body' are templates, as in the template block; "
            + "a body string that is just '{{name}}' sends that value as JSON. An object or array body is sent as JSON. "
            + "Private, loopback, link-local and cloud metadata addresses are refused (after DNS resolution and on every redirect) "
            + "unless the host allow-lists them. Redirects are followed up to " + options.MaxRedirects.ToString(CultureInfo.InvariantCulture)
            + " times; once a redirect leads to another origin (scheme, host or port), the node's headers are not sent there. "
            + "A status of 400 or more fails the node unless 'failOnErrorStatus' is false. "
            + "JSON responses are parsed; others are text.",
        ConfigInputs = "One required input per variable the url, headers and body use.",
        Outputs =
        [
            new PortDescriptor("status", PortType.Number, "The response status code."),
            new PortDescriptor("headers", PortType.Object, "The response headers; repeated headers joined with ', '."),
            new PortDescriptor("body", PortType.Any, "The response body: parsed JSON, or text."),
        ],
        ConfigSchema = JsonElement.Parse($$"""
            {
              "type": "object",
              "additionalProperties": false,
              "required": ["url"],
              "properties": {
                "method": { "enum": {{JsonSerializer.Serialize(Methods, BlockConfigJsonContext.Default.StringArray)}} },
                "url": { "type": "string", "minLength": 1, "maxLength": 8192, "description": "An http or https URL; a template." },
                "headers": {
                  "type": "object",
                  "propertyNames": { "pattern": "^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,256}$", "errorMessage": "Not a valid header name." },
                  "additionalProperties": { "type": "string", "maxLength": 8192 },
                  "description": "Header values are templates."
                },
                "body": { "description": "A string (a template) or JSON whose strings are templates." },
                "timeoutMs": { "type": "integer", "minimum": 1, "maximum": {{(long)options.MaxTimeout.TotalMilliseconds}} },
                "maxResponseBytes": { "type": "integer", "minimum": 1, "maximum": {{options.MaxResponseBytes}} },
                "failOnErrorStatus": { "type": "boolean", "description": "Fail on a status of 400 or more (default true)." }
              }
            }
            """),
        Examples =
        [
            new("Fetch a user.", JsonElement.Parse("""{ "url": "https://api.example.com/users/{{userId}}", "headers": { "Authorization": "Bearer {{token}}" } }""")),
            new("Post an order as JSON.", JsonElement.Parse("""{ "method": "POST", "url": "https://shop.example.com/orders", "body": { "order": "{{order}}", "note": "Sent by {{who}}" }, "timeoutMs": 10000 }""")),
        ],
    };

    private sealed record RequestTemplate(HttpMethod Method, Template Url, (string Name, Template Value)[] Headers, JsonTemplate? Body, bool TextBody);

    private sealed record ResponseLimits(TimeSpan Timeout, int MaxBytes, bool FailOnErrorStatus);

    private sealed class Node(HttpBlock block, RequestTemplate request, ResponseLimits limits, VariablePorts ports)
        : BlockNode(ports, block.Descriptor.Outputs)
    {
        public override async ValueTask ExecuteAsync(NodeContext context)
        {
            var url = request.Url.Render(context);
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new BlockException($"'{url}' is not an http or https URL.");
            }

            using var timeout = new CancellationTokenSource(limits.Timeout, context.TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, timeout.Token);
            try
            {
                using var response = await SendAsync(context, uri, linked.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (limits.FailOnErrorStatus && status >= 400)
                {
                    throw new BlockException($"{request.Method} {uri} answered {status} {response.ReasonPhrase}.");
                }

                var body = await ReadBodyAsync(response, linked.Token).ConfigureAwait(false);
                context.SetOutput(0, JsonValue.Create(status));
                context.SetOutput(1, HeadersOf(response));
                context.SetOutput(2, body);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
            {
                throw new BlockException($"{request.Method} {uri} did not answer within {limits.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
            }
            catch (HttpRequestException ex)
            {
                var refused = FindRefusal(ex);
                throw new BlockException(refused?.Message ?? $"{request.Method} {uri} failed: {ex.Message}", ex);
            }
        }

        private async Task<HttpResponseMessage> SendAsync(NodeContext context, Uri uri, CancellationToken cancellationToken)
        {
            var method = request.Method;
            var content = request.Body is null ? null : Content(context);
            var origin = uri;
            var leftOrigin = false;
            for (var hop = 0; ; hop++)
            {
                using var message = new HttpRequestMessage(method, uri) { Content = content };
                if (context.MaskSecrets(uri.AbsoluteUri) is var masked && masked != uri.AbsoluteUri)
                {
                    message.Options.Set(HttpBlockOptions.MaskedUrl, masked);
                }

                // Headers carry API keys under any name (X-Api-Key, Private-Token), so none follows a redirect elsewhere.
                leftOrigin |= Uri.Compare(uri, origin, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0;
                foreach (var (name, value) in leftOrigin ? [] : request.Headers)
                {
                    AddHeader(message, name, value.Render(context));
                }

                var response = await block._client.Value.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is null)
                {
                    return response;
                }

                response.Dispose();
                if (hop >= block._options.MaxRedirects)
                {
                    throw new BlockException($"{request.Method} {origin} redirected more than {block._options.MaxRedirects} times.");
                }

                var next = new Uri(uri, response.Headers.Location);
                if (next.Scheme is not ("http" or "https"))
                {
                    throw new BlockException($"{uri} redirected to '{next}', which is not an http or https URL.");
                }

                // As browsers do: 303, and 301/302 after a POST, continue as a GET without a body.
                if (response.StatusCode == HttpStatusCode.SeeOther
                    || (method == HttpMethod.Post && (int)response.StatusCode is 301 or 302))
                {
                    method = method == HttpMethod.Head ? method : HttpMethod.Get;
                    content = null;
                }
                else if (content is not null)
                {
                    content = Content(context);
                }

                uri = next;
            }
        }

        private HttpContent Content(NodeContext context)
        {
            var body = request.Body!.Render(context);
            return request.TextBody && body is JsonValue text && text.GetValueKind() == JsonValueKind.String
                ? new StringContent(text.GetValue<string>(), Encoding.UTF8, "text/plain")
                : new StringContent(body?.ToJsonString() ?? "null", Encoding.UTF8, "application/json");
        }

        private static void AddHeader(HttpRequestMessage message, string name, string value)
        {
            if (value.Contains('\r', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
            {
                throw new BlockException($"The value of header '{name}' contains a line break.");
            }

            if (message.Headers.TryAddWithoutValidation(name, value))
            {
                return;
            }

            // Content headers (Content-Type) belong to the body, which has a default to replace.
            if (message.Content is { } content)
            {
                content.Headers.Remove(name);
                if (content.Headers.TryAddWithoutValidation(name, value))
                {
                    return;
                }
            }

            throw new BlockException($"Header '{name}' cannot be set on this request.");
        }

        private async Task<JsonNode?> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            if (response.Content.Headers.ContentLength > limits.MaxBytes)
            {
                throw TooLarge();
            }

            var buffer = new MemoryStream();
            await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
            {
                var chunk = new byte[16 * 1024];
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > limits.MaxBytes)
                    {
                        throw TooLarge();
                    }

                    buffer.Write(chunk, 0, read);
                }
            }

            var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
            if (mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase) && bytes.Length > 0)
            {
                try
                {
                    return JsonValues.Materialize(JsonNode.Parse(bytes.Span));
                }
                catch (JsonException)
                {
                    // A server that labels text as JSON still gets its text through.
                }
            }

            var charset = response.Content.Headers.ContentType?.CharSet;
            var encoding = charset is null ? Encoding.UTF8 : GetEncoding(charset);
            return bytes.Length == 0 ? null : JsonValue.Create(encoding.GetString(bytes.Span));
        }

        private BlockException TooLarge() =>
            new($"The response is larger than {limits.MaxBytes.ToString(CultureInfo.InvariantCulture)} bytes.");

        private static Encoding GetEncoding(string charset)
        {
            try
            {
                return Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
                return Encoding.UTF8;
            }
        }

        private static JsonObject HeadersOf(HttpResponseMessage response)
        {
            var headers = new JsonObject();
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                headers[name.ToLowerInvariant()] = string.Join(", ", values);
            }

            return headers;
        }

        private static SsrfRefusedException? FindRefusal(Exception? ex) =>
            ex is null ? null : ex as SsrfRefusedException ?? FindRefusal(ex.InnerException);
    }
}

internal sealed record HttpConfig(
    string Url,
    string? Method,
    Dictionary<string, string>? Headers,
    JsonElement? Body,
    int? TimeoutMs,
    int? MaxResponseBytes,
    bool? FailOnErrorStatus);
