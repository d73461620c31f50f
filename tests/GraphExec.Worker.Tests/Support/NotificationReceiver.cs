using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GraphExec.Worker.Tests.Support;

/// <summary>One delivery as a receiver saw it: its headers and raw body, and the status it answered.</summary>
public sealed record ReceivedDelivery(HeaderDictionary Headers, string Body, int AnsweredWith)
{
    public string Id => Headers["webhook-id"].ToString();
}

/// <summary>
/// A small Kestrel server on 127.0.0.1 that records every notification posted to it and answers with the statuses it
/// is told to, in order (then 200), as a receiver that fails for a while would.
/// </summary>
public sealed class NotificationReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _answers;

    private NotificationReceiver(WebApplication app, ConcurrentQueue<int> answers)
    {
        _app = app;
        _answers = answers;
    }

    public ConcurrentQueue<ReceivedDelivery> Received { get; } = new();

    /// <summary>The URL to post to, http://127.0.0.1:port/notify.</summary>
    public string Url => _app.Urls.Single().TrimEnd('/') + "/notify";

    public static async Task<NotificationReceiver> StartAsync(params int[] answers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new NotificationReceiver(app, new ConcurrentQueue<int>(answers));
        app.MapPost("/notify", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var status = receiver._answers.TryDequeue(out var next) ? next : StatusCodes.Status200OK;
            receiver.Received.Enqueue(new ReceivedDelivery(new HeaderDictionary(request.Headers.ToDictionary()), body, status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
