using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using GraphExec.Contracts;

namespace GraphExec.Cli.Infrastructure;

/// <summary>
/// The Api over HTTP with the caller's token. Answers are read as <see cref="JsonElement"/>s, so that <c>--json</c>
/// prints what the Api said and a property the command line does not know yet is not lost. Every answer that is not a
/// success becomes a <see cref="CliFailure"/> through the problem reader the Web UI uses too.
/// </summary>
public sealed class GraphExecApi : IDisposable
{
    private static readonly JsonSerializerOptions WireOptions = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;

    public GraphExecApi(Uri baseAddress, string token)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("graphexec-cli", typeof(GraphExecApi).Assembly.GetName().Version?.ToString(3)));
    }

    public Uri BaseAddress => _http.BaseAddress!;

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, content: null, cancellationToken);

    public Task<JsonElement> PostAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body is null ? null : JsonContent.Create(body, options: WireOptions), cancellationToken);

    public Task<JsonElement> PutAsync(string path, object body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, JsonContent.Create(body, options: WireOptions), cancellationToken);

    public Task<JsonElement> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, content: null, cancellationToken);

    /// <summary>Sends a document as it was written (a graph file), byte for byte.</summary>
    public Task<JsonElement> SendDocumentAsync(HttpMethod method, string path, string json, CancellationToken cancellationToken) =>
        SendAsync(method, path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"), cancellationToken);

    /// <summary>Every item of a keyset-paginated list (<c>{ items, nextCursor }</c>), page after page, up to <paramref name="max"/>.</summary>
    public async IAsyncEnumerable<JsonElement> ListAsync(
        string path, int max = int.MaxValue, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var pageSize = Math.Clamp(max, 1, 200);
        string? cursor = null;
        var count = 0;
        do
        {
            var page = await GetAsync(
                $"{path}{separator}limit={pageSize}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), cancellationToken);
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                yield return item;
                if (++count >= max)
                {
                    yield break;
                }
            }

            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new CliFailure(ExitCodes.Unavailable, $"The Api at {BaseAddress} cannot be reached: {ex.Message}", inner: ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw CliFailure.From(await ProblemReader.ReadAsync(response, cancellationToken));
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return text.Length == 0 ? default : JsonElement.Parse(text);
        }
    }

    public void Dispose() => _http.Dispose();
}
