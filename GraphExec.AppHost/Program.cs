using GraphExec.AppHost.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = builder.AddGraphExecInfrastructure();
var (database, broker, cache, blobs) = (infrastructure.Database, infrastructure.Broker, infrastructure.Cache, infrastructure.Blobs);

// Signs the Api's JWTs; Live validates them with the same key.
var jwtSigningKey = builder.AddParameter(
    "jwt-signing-key", new GenerateParameterDefault { MinLength = 64, Special = false }, secret: true, persist: true);

// Encrypts the Data Protection key rings (the services' in PostgreSQL, the Web's in Redis), and so every credential,
// webhook secret and sign-in cookie they protect.
var dataProtectionKey = builder.AddParameter(
    "data-protection-key", new GenerateParameterDefault { MinLength = 64, Special = false }, secret: true, persist: true);

// Every service that decides a quota (what users keep, queue and run) gets the AppHost's Quotas section, and every
// service that reads or writes execution values gets blob storage, where the values above the inline threshold go.
var api = builder.AddProject<Projects.GraphExec_Api>("api")
    .WithInfrastructure(infrastructure, database, broker, cache, blobs)
    .WithTelemetrySettings()
    .WithQuotas()
    .WithEnvironment("Jwt__SigningKey", jwtSigningKey)
    .WithEnvironment("DataProtection__Key", dataProtectionKey)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .WithMetricsEndpoint();

var webhooks = builder.AddProject<Projects.GraphExec_Webhooks>("webhooks")
    .WithInfrastructure(infrastructure, database, broker, cache, blobs)
    .WithTelemetrySettings()
    .WithQuotas()
    .WithEnvironment("DataProtection__Key", dataProtectionKey)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .WithMetricsEndpoint();

// Every delivery arrives here: on a developer's machine the service listens on its port itself rather than behind the
// orchestrator's proxy, which cost a hop and about 0.2 ms of CPU per delivery under load. Tests randomize ports and keep it.
var portsRandomized = bool.TryParse(builder.Configuration["DcpPublisher:RandomizePorts"], out var randomize) && randomize;
if (builder.ExecutionContext.IsRunMode && !portsRandomized)
{
    webhooks.WithEndpoint("http", endpoint => endpoint.IsProxied = false);
}

// The Api tells users the public URL of each webhook they create.
api.WithEnvironment("Webhooks__PublicBaseUrl", webhooks.GetEndpoint("http"));

// The operator's password for the Scheduler's Hangfire dashboard (user "operator"); the dashboard is never open.
var schedulerDashboardPassword = builder.AddParameter(
    "scheduler-dashboard-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);

builder.AddProject<Projects.GraphExec_Scheduler>("scheduler")
    .WithInfrastructure(infrastructure, database, broker, blobs)
    .WithTelemetrySettings()
    .WithQuotas()
    .WithEnvironment("Dashboard__Password", schedulerDashboardPassword)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .WithMetricsEndpoint();

// Two replicas of the stateful-looking services keep them honest about holding no state.
builder.AddProject<Projects.GraphExec_Worker>("worker")
    .WithInfrastructure(infrastructure, database, broker, cache, blobs)
    .WithTelemetrySettings()
    .WithQuotas()
    .WithEnvironment("DataProtection__Key", dataProtectionKey)
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithMetricsEndpoint()
    .WithReplicas(2);

// Live checks in the database that a watcher owns the execution, and reads its events from Redis.
var live = builder.AddProject<Projects.GraphExec_Live>("live")
    .WithInfrastructure(infrastructure, database, cache)
    .WithTelemetrySettings()
    .WithEnvironment("Jwt__SigningKey", jwtSigningKey)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .WithMetricsEndpoint()
    .WithReplicas(2);

// Web keeps its Data Protection keys (sign-in cookies) in Redis, so that any replica can read any cookie, encrypted.
builder.AddProject<Projects.GraphExec_Web>("web")
    .WithInfrastructure(infrastructure, cache)
    .WithTelemetrySettings()
    .WithEnvironment("DataProtection__Key", dataProtectionKey)
    .WithReference(api).WaitFor(api)
    .WithReference(live).WaitFor(live)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .WithMetricsEndpoint();

// Prometheus scrapes every replica's metrics port and sends what its rules fire to Alertmanager (run mode only).
builder.AddMonitoring(infrastructure);

var app = builder.Build();
app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GraphExec.AppHost").LogInformation(
    "Infrastructure: {Mode} ({Reason})", infrastructure.Mode, infrastructure.Reason);
app.Run();
