using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GraphExec.ServiceDefaults;

/// <summary>
/// The client's address and scheme as the proxy in front saw them (<c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c>),
/// taken only from proxies this service trusts: loopback by default (the AppHost's endpoints, the Web calling the Api on one
/// machine), plus <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR, e.g.
/// the ingress subnet of a deployment). From anyone else the headers are ignored, so a client cannot choose the address
/// that per-address limits count it under.
/// </summary>
public static class ForwardedClientAddress
{
    public const string Section = "ForwardedHeaders";

    public static TBuilder AddForwardedClientAddress<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var proxies = builder.Configuration.GetSection($"{Section}:KnownProxies").Get<string[]>() ?? [];
        var networks = builder.Configuration.GetSection($"{Section}:KnownNetworks").Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The address the nearest trusted proxy saw; anything further left in the header is the client's to write.
            options.ForwardLimit = 1;
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline, so that everything after it (limits, logs) sees the client's address.</summary>
    public static WebApplication UseForwardedClientAddress(this WebApplication app)
    {
        app.UseForwardedHeaders();
        return app;
    }
}
