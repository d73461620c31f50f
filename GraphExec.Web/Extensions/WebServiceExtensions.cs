using GraphExec.ServiceDefaults;
using GraphExec.ServiceDefaults.DataProtection;
using GraphExec.Web.Account;
using GraphExec.Web.Api;
using GraphExec.Web.Live;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using StackExchange.Redis;

namespace GraphExec.Web.Extensions;

public static class WebServiceExtensions
{
    /// <summary>Service-discovery names of the services the UI calls (resource names in the AppHost).</summary>
    public const string ApiService = "api";
    public const string LiveService = "live";

    public static IHostApplicationBuilder AddWebServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();

        // Sign-in cookies (which carry the Api token) are encrypted with Data Protection keys; every replica must read every
        // cookie, so the keys live in Redis rather than on one machine's disk, themselves encrypted with DataProtection:Key.
        builder.AddRedisClient(ConnectionNames.Cache);
        var keysKey = $"{builder.Configuration[CacheSettings.KeyPrefix]}graphexec:web:data-protection-keys";
        services.AddDataProtection().SetApplicationName("GraphExec.Web").ProtectKeysWithConfiguredKey();
        services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer>((options, redis) =>
            options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), keysKey));

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/signin";
                options.LogoutPath = "/signout";
                options.AccessDeniedPath = "/signin";
                options.Cookie.Name = "graphexec.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;

                // The cookie lives exactly as long as the Api session it carries (set per sign-in); the access token in it
                // is renewed as it nears its end.
                options.SlidingExpiration = false;
                options.EventsType = typeof(SessionCookieEvents);
            });
        services.AddScoped<SessionCookieEvents>();
        services.AddSingleton<SessionRenewal>();
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, TokenExpiryRevalidator>();
        services.AddScoped<Session>();

        services.AddHttpContextAccessor();
        services.AddTransient<ForwardedClientAddressHandler>();
        services.AddHttpClient<ApiClient>(http => http.BaseAddress = new Uri($"http://{ApiService}"))
            .AddHttpMessageHandler<ForwardedClientAddressHandler>();
        services.AddSingleton<BlockCatalogue>();
        services.AddScoped<LiveFeedFactory>();

        // The UI is useless without the Api and the Live hub, so /health reports them; /alive does not.
        services.AddHealthChecks()
            .AddUrlGroup(AlivenessUri(ApiService), name: ApiService)
            .AddUrlGroup(AlivenessUri(LiveService), name: LiveService);

        return builder;
    }

    private static Uri AlivenessUri(string service) => new($"http://{service}{ServiceDefaultsExtensions.AlivenessEndpointPath}");
}
