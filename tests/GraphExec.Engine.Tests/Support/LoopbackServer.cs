using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GraphExec.Engine.Tests.Support;

/// <summary>A small Kestrel server on 127.0.0.1 that the http block can call.</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The base address, as http://127.0.0.1:port.</summary>
    public string Url { get; }

    public int Requests { get; private set; }

    public static async Task<LoopbackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        LoopbackServer? server = null;
        app.Use((context, next) =>
        {
            server!.Requests++;
            return next(context);
        });
        app.MapGet("/users/{id}", (string id, HttpRequest request) => Results.Json(new JsonObject
        {
            ["id"] = id,
            ["auth"] = request.Headers.Authorization.ToString(),
        }));
        app.MapPost("/echo", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            return Results.Text(await reader.ReadToEndAsync(), request.ContentType);
        });
        app.MapGet("/headers", (HttpRequest request) => Results.Json(new JsonObject
        {
            ["auth"] = request.Headers.Authorization.ToString(),
            ["apiKey"] = request.Headers["X-Api-Key"].ToString(),
        }));
        app.MapGet("/text", () => Results.Text("plain words"));
        app.MapGet("/nul", () => Results.Text("binary\0bytes"));
        app.MapGet("/nul-json", () => Results.Text("""{ "name": "nul \u0000 inside" }""", "application/json"));
        app.MapGet("/missing", () => Results.NotFound());
        app.MapGet("/big", () => Results.Text(new string('x', 10_000)));
        app.MapGet("/redirect", (string to) => Results.Redirect(to));
        await app.StartAsync();
        server = new LoopbackServer(app, app.Urls.Single().TrimEnd('/'));
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
