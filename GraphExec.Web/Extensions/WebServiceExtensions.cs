using GraphExec.ServiceDefaults;

namespace GraphExec.Web.Extensions;

public static class WebServiceExtensions
{
    /// <summary>Service-discovery names of the services the UI calls (resource names in the AppHost).</summary>
    public const string ApiService = "api";
    public const string LiveService = "live";

    public static IHostApplicationBuilder AddWebServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();

        // The UI is useless without the Api and the Live hub, so /health reports them; /alive does not.
        builder.Services.AddHealthChecks()
            .AddUrlGroup(AlivenessUri(ApiService), name: ApiService)
            .AddUrlGroup(AlivenessUri(LiveService), name: LiveService);

        return builder;
    }

    private static Uri AlivenessUri(string service) => new($"http://{service}{ServiceDefaultsExtensions.AlivenessEndpointPath}");
}
