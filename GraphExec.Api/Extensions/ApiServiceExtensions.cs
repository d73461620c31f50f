using GraphExec.Api.Features.Auth;
using GraphExec.Api.Features.Blocks;
using GraphExec.Api.Features.Credentials;
using GraphExec.Api.Features.Executions;
using GraphExec.Api.Features.Graphs;
using GraphExec.Api.Features.Live;
using GraphExec.Api.Features.Notifications;
using GraphExec.Api.Features.Schedules;
using GraphExec.Api.Features.Tokens;
using GraphExec.Api.Features.Webhooks;
using GraphExec.Api.Infrastructure;
using GraphExec.Core.Data;
using GraphExec.Core.Executions;
using GraphExec.Core.Graphs;
using GraphExec.Engine.Json;
using GraphExec.Hosting;
using GraphExec.Hosting.Blobs;
using GraphExec.Hosting.Secrets;
using GraphExec.ServiceDefaults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace GraphExec.Api.Extensions;

public static class ApiServiceExtensions
{
    public static IHostApplicationBuilder AddApiServices(this IHostApplicationBuilder builder)
    {
        builder.AddGraphExecDatabase();
        builder.AddGraphExecCache();
        builder.AddMessageBus();
        // Inputs above the inline threshold go to blob storage before their execution is inserted.
        builder.AddGraphExecBlobs();
        builder.AddGraphExecAuthentication();
        // The Api encrypts credentials and webhook secrets, and so makes the key ring's new keys.
        builder.AddGraphExecSecrets(makesKeys: true);
        builder.AddSessionRevocations();

        var services = builder.Services;
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddApiAuthentication();
        services.AddApiRateLimiting();
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<BearerSecurityTransformer>();
            options.AddOperationTransformer<ScopeDescriptionTransformer>();
        });
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Add(GraphExecJsonContext.Default));
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ApiOptions>>((kestrel, api) => kestrel.Limits.MaxRequestBodySize = api.Value.MaxRequestBodyBytes);

        // PBKDF2-HMAC-SHA512 at OWASP's current work factor; hashes made with fewer iterations are redone at the next
        // sign-in (SuccessRehashNeeded).
        services.Configure<PasswordHasherOptions>(options => options.IterationCount = AccountRules.PasswordHashIterations);
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<SignInBackoff>();
        services.AddScoped<SignInSessions>();
        services.AddSingleton<GraphBody>();
        services.AddScoped<NewestPlans>();
        services.AddScoped<ExecutionStarter>();
        services.AddScoped<ExecutionCanceller>();
        services.AddScoped<ExecutionRetrier>();
        services.AddScoped<WebhookCache>();
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }

    public static WebApplication MapApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.WaitForDatabaseSchema("/api");

        app.MapOpenApi();
        app.MapScalarApiReference();

        app.MapAuthApi();
        var api = app.MapGroup("").RequireAuthorization().RequireRateLimiting(RateLimiting.PerUserPolicy);
        // What a personal access token needs for each area ({area}:read for reads, {area}:write for the rest); a session
        // has every scope.
        api.MapGroup("").RequireScopes(Scopes.Graphs).MapGraphsApi();
        api.MapGroup("").RequireScopes(Scopes.Executions).MapExecutionsApi();
        api.MapGroup("").RequireScopes(Scopes.Executions).MapExecutionPinsApi();
        // A ticket only lets its holder watch (read) executions at Live.
        api.MapGroup("").RequireScopes(Scopes.Executions, readsOnly: true).MapLiveTicketsApi();
        api.MapGroup("").RequireScopes(Scopes.Webhooks).MapWebhooksApi();
        // Notification endpoints are the outgoing side of webhooks: the same scope.
        api.MapGroup("").RequireScopes(Scopes.Webhooks).MapNotificationsApi();
        api.MapGroup("").RequireScopes(Scopes.Schedules).MapSchedulesApi();
        // The block catalogue is the same for everyone: any caller may read it.
        api.MapBlocksApi();
        // So is who the caller is: a token may always check itself.
        api.MapMeApi();
        api.MapGroup("").RequireScopes(Scopes.Credentials).MapCredentialsApi();
        api.MapTokensApi();
        api.MapAccountSettingsApi();
        return app;
    }
}
