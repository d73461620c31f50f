using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace GraphExec.Worker.Tests.Support;

/// <summary>A small Kestrel server on 127.0.0.1 for a test's http block to call (the Worker's tests allow that address).</summary>
public static class LocalTarget
{
    /// <summary>Starts a server with the endpoints <paramref name="map"/> adds; disposing it stops it.</summary>
    public static async Task<WebApplication> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }
}
