using System.Globalization;
using System.Text.Json.Nodes;
using GraphExec.Testing;

namespace GraphExec.Deployment.Tests;

/// <summary>
/// What <c>azd up</c> provisions: <c>infra/main.bicep</c> compiled to ARM JSON by the Bicep CLI (no Azure account, no
/// network) and read module by module.
/// </summary>
public sealed class Compiling_the_infrastructure
{
    private const string ContainerApps = "Microsoft.App/containerApps";
    private const int MetricsPort = 9464;

    private static readonly string[] Services = ["api", "webhooks", "scheduler", "worker", "live", "web"];
    private static readonly string[] HttpScaledServices = ["api", "webhooks", "live", "web"];

    private readonly string _mainBicep = Path.Combine(RepositoryRoot.Find(), "infra", "main.bicep");
    private ArmTemplate _main = null!;

    [OneTimeSetUp]
    public async Task CompileAsync()
    {
        var build = await Bicep.RunAsync("build", _mainBicep, "--stdout");
        Assert.That(build.ExitCode, Is.Zero, build.Errors);
        _main = ArmTemplate.Parse(build.Output);
    }

    [Test]
    public async Task Should_pass_the_linter_without_a_warning()
    {
        var lint = await Bicep.RunAsync("lint", _mainBicep);

        Assert.That(lint.ExitCode, Is.Zero, lint.Errors);
        Assert.That((lint.Output + lint.Errors).Trim(), Is.Empty);
    }

    [TestCaseSource(nameof(Services))]
    public void Should_deploy_the_service_to_a_container_app_that_azd_finds_by_its_tag(string service)
    {
        var (_, app) = ServiceApp(service);

        Assert.That(app["tags"]!.GetValue<string>(), Does.Contain("'azd-service-name', parameters('name')"));
        var registry = app["properties"]!["configuration"]!["registries"]!.AsArray().Single()!;
        Assert.That(registry["identity"], Is.Not.Null, "images are pulled with the managed identity");
        Assert.That(registry["passwordSecretRef"], Is.Null);
    }

    [Test]
    public void Should_scale_the_worker_on_its_queue_and_on_cpu()
    {
        var rules = ServiceTemplate("worker").Parameter("scaleRules")!.AsArray();

        var queue = rules.Single(rule => rule!["custom"]?["type"]?.GetValue<string>() == "rabbitmq")!["custom"]!;
        Assert.That(queue["metadata"]!["queueName"]!.GetValue<string>(), Is.EqualTo("execute-graph"));
        Assert.That(queue["metadata"]!["mode"]!.GetValue<string>(), Is.EqualTo("QueueLength"));
        Assert.That(int.Parse(queue["metadata"]!["value"]!.GetValue<string>(), CultureInfo.InvariantCulture), Is.Positive);
        var host = queue["auth"]!.AsArray().Single(auth => auth!["triggerParameter"]!.GetValue<string>() == "host")!;
        Assert.That(SecretNames("worker"), Does.Contain(host["secretRef"]!.GetValue<string>()));
        Assert.That(host["secretRef"]!.GetValue<string>(), Is.EqualTo("connectionstrings-rabbitmq"));

        var cpu = rules.Single(rule => rule!["custom"]?["type"]?.GetValue<string>() == "cpu")!["custom"]!;
        Assert.That(cpu["metadata"]!["type"]!.GetValue<string>(), Is.EqualTo("Utilization"));
        Assert.That(cpu["metadata"]!["value"]!.GetValue<string>(), Is.EqualTo("70"));
        Assert.That(Replicas("worker").Max, Is.GreaterThan(Replicas("worker").Min));
    }

    [TestCaseSource(nameof(HttpScaledServices))]
    public void Should_scale_the_service_on_concurrent_requests(string service)
    {
        var rules = ServiceTemplate(service).Parameter("scaleRules")!.AsArray();

        var http = rules.Single(rule => rule!["http"] is not null)!["http"]!;
        Assert.That(int.Parse(http["metadata"]!["concurrentRequests"]!.GetValue<string>(), CultureInfo.InvariantCulture), Is.Positive);
        Assert.That(Replicas(service).Min, Is.GreaterThanOrEqualTo(1));
        Assert.That(Replicas(service).Max, Is.GreaterThan(Replicas(service).Min));
    }

    [Test]
    public void Should_run_the_scheduler_at_a_fixed_count()
    {
        var (min, max) = Replicas("scheduler");

        Assert.That(min, Is.EqualTo(max));
        Assert.That(min, Is.EqualTo(1));
        Assert.That(ServiceTemplate("scheduler").Parameter("scaleRules")!.AsArray(), Is.Empty);
    }

    [TestCase("api", "external")]
    [TestCase("webhooks", "external")]
    [TestCase("live", "external")]
    [TestCase("web", "external")]
    [TestCase("scheduler", "internal")]
    [TestCase("worker", "internal")]
    public void Should_open_the_service_to_the_internet_or_to_the_environment_only(string service, string ingress) =>
        Assert.That(ServiceTemplate(service).Parameter("ingress")!.GetValue<string>(), Is.EqualTo(ingress));

    [Test]
    public void Should_take_every_secret_of_every_app_from_Key_Vault()
    {
        var apps = _main.Resources(ContainerApps).ToList();
        var secrets = apps.SelectMany(app => AppSecrets(app.Resource)).ToList();

        Assert.That(apps, Has.Count.EqualTo(Services.Length + 1), "the services and RabbitMQ");
        Assert.That(secrets, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var secret in secrets)
            {
                Assert.That(secret["value"], Is.Null, secret.ToJsonString());
                Assert.That(secret["keyVaultUrl"], Is.Not.Null, secret.ToJsonString());
                Assert.That(secret["identity"], Is.Not.Null, secret.ToJsonString());
            }

            foreach (var service in Services)
            {
                foreach (var reference in ServiceTemplate(service).Parameter("secrets")!.AsArray())
                {
                    Assert.That(reference!["value"], Is.Null, $"{service}: {reference.ToJsonString()}");
                    Assert.That(reference["url"]!.GetValue<string>(), Does.Contain(".outputs."), $"{service}: a Key Vault secret's URL");
                }
            }
        });
    }

    [TestCaseSource(nameof(Services))]
    public void Should_give_the_service_secrets_only_by_reference(string service)
    {
        var env = ServiceTemplate(service).Parameter("env")!.AsArray().Select(variable => variable!.AsObject()).ToList();
        var secureParameters = _main.SecureParameters().ToList();

        Assert.That(secureParameters, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var variable in env)
            {
                var name = variable["name"]!.GetValue<string>();
                if (variable["secretRef"] is { } secretRef)
                {
                    Assert.That(SecretNames(service), Does.Contain(secretRef.GetValue<string>()), name);
                    continue;
                }

                Assert.That(LooksSecret(name), Is.False, $"{name} is a secret and must be a secretRef");
                var value = variable["value"]!.ToJsonString();
                Assert.That(value, Does.Not.Contain("list"), name);
                foreach (var parameter in secureParameters)
                {
                    Assert.That(value, Does.Not.Contain($"'{parameter}'"), name);
                }
            }
        });

        // The module adds only settings of its own (metrics port, telemetry, proxies): it has no secret to add.
        var module = ServiceTemplate(service);
        Assert.That(module.SecureParameters(), Is.Empty);
        Assert.That(module.Template.ToJsonString(), Does.Not.Contain("list"));
    }

    [TestCase("api", "ConnectionStrings__graphexec", "ConnectionStrings__rabbitmq", "ConnectionStrings__redis", "ConnectionStrings__blobs", "Jwt__SigningKey", "DataProtection__Key", "Webhooks__PublicBaseUrl")]
    [TestCase("webhooks", "ConnectionStrings__graphexec", "ConnectionStrings__rabbitmq", "ConnectionStrings__redis", "ConnectionStrings__blobs", "DataProtection__Key")]
    [TestCase("scheduler", "ConnectionStrings__graphexec", "ConnectionStrings__rabbitmq", "ConnectionStrings__blobs", "Dashboard__Password")]
    [TestCase("worker", "ConnectionStrings__graphexec", "ConnectionStrings__rabbitmq", "ConnectionStrings__redis", "ConnectionStrings__blobs", "DataProtection__Key")]
    [TestCase("live", "ConnectionStrings__graphexec", "ConnectionStrings__redis", "Jwt__SigningKey")]
    [TestCase("web", "ConnectionStrings__redis", "DataProtection__Key", "services__api__http__0", "services__live__http__0")]
    public void Should_give_the_service_the_settings_the_AppHost_gives_it(string service, params string[] settings)
    {
        var names = ServiceTemplate(service).Parameter("env")!.AsArray().Select(variable => variable!["name"]!.GetValue<string>());

        Assert.That(names, Is.EquivalentTo(settings));
    }

    /// <summary>Service discovery keeps an endpoint only under its own scheme: the Web asks for http://api and http://live.</summary>
    [TestCase("services__api__http__0", "http://api")]
    [TestCase("services__live__http__0", "http://live")]
    public void Should_point_the_Web_at_the_service_by_its_app_name(string setting, string address)
    {
        var env = ServiceTemplate("web").Parameter("env")!.AsArray();

        Assert.That(env.Single(variable => variable!["name"]!.GetValue<string>() == setting)!["value"]!.GetValue<string>(), Is.EqualTo(address));
    }

    [Test]
    public void Should_encrypt_the_traffic_between_apps()
    {
        var (_, environment) = _main.Resources("Microsoft.App/managedEnvironments").Single();

        Assert.That(environment["properties"]!["peerTrafficConfiguration"]!["encryption"]!["enabled"]!.GetValue<bool>(), Is.True);
    }

    [TestCaseSource(nameof(Services))]
    public void Should_keep_the_metrics_port_inside_the_environment(string service)
    {
        var (template, app) = ServiceApp(service);
        var ingress = app["properties"]!["configuration"]!["ingress"]!;

        Assert.That(template.Resolve(template.Template["variables"]!["metricsPort"])!.GetValue<int>(), Is.EqualTo(MetricsPort));
        Assert.That(template.Template["variables"]!["commonEnv"]!.ToJsonString(), Does.Contain("Metrics__Port"));
        Assert.That(ingress["targetPort"]!.GetValue<int>(), Is.Not.EqualTo(MetricsPort));
        var mappings = ingress["additionalPortMappings"]!.AsArray();
        Assert.That(mappings.Where(mapping => mapping!["targetPort"]!.GetValue<int>() == MetricsPort).ToList(), Has.Count.EqualTo(1));
        Assert.That(mappings.Select(mapping => mapping!["external"]!.GetValue<bool>()), Is.All.False);
    }

    [Test]
    public void Should_run_RabbitMQ_without_a_volume_and_inside_the_environment_only()
    {
        var (_, broker) = _main.Resources(ContainerApps).Single(app => app.Resource["name"]!.GetValue<string>() == "rabbitmq");
        var ingress = broker["properties"]!["configuration"]!["ingress"]!;

        Assert.That(broker["properties"]!["template"]!["volumes"], Is.Null);
        Assert.That(broker["properties"]!["template"]!["containers"]![0]!["volumeMounts"], Is.Null);
        Assert.That(ingress["external"]!.GetValue<bool>(), Is.False);
        Assert.That(ingress["transport"]!.GetValue<string>(), Is.EqualTo("tcp"));
        Assert.That(ingress["exposedPort"]!.GetValue<int>(), Is.EqualTo(5672));
    }

    [Test]
    public void Should_require_TLS_for_PostgreSQL()
    {
        var settings = _main.Resources("Microsoft.DBforPostgreSQL/flexibleServers/configurations")
            .ToDictionary(setting => setting.Resource["name"]!.GetValue<string>(), setting => setting.Resource["properties"]!["value"]!.GetValue<string>());

        Assert.That(settings.Single(setting => setting.Key.Contains("require_secure_transport", StringComparison.Ordinal)).Value, Is.EqualTo("on"));
        var (postgres, _) = _main.Resources("Microsoft.DBforPostgreSQL/flexibleServers/databases").Single();
        Assert.That(postgres.Template["variables"]!["databaseName"]!.GetValue<string>(), Is.EqualTo("graphexec"));
        var connectionString = _main.AllTemplates().Single(template => template.Deployment == "secret-connectionstrings-graphexec");
        Assert.That(connectionString.Parameter("value")!.GetValue<string>(), Does.Contain("SSL Mode=Require"));
    }

    [Test]
    public void Should_refuse_plain_connections_to_Redis()
    {
        var (_, redis) = _main.Resources("Microsoft.Cache/redis").Single();

        Assert.That(redis["properties"]!["enableNonSslPort"]!.GetValue<bool>(), Is.False);
        Assert.That(redis["properties"]!["minimumTlsVersion"]!.GetValue<string>(), Is.EqualTo("1.2"));
    }

    [Test]
    public void Should_keep_blobs_private_and_on_HTTPS()
    {
        var (_, account) = _main.Resources("Microsoft.Storage/storageAccounts").Single();

        Assert.That(account["properties"]!["supportsHttpsTrafficOnly"]!.GetValue<bool>(), Is.True);
        Assert.That(account["properties"]!["minimumTlsVersion"]!.GetValue<string>(), Is.EqualTo("TLS1_2"));
        Assert.That(account["properties"]!["allowBlobPublicAccess"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public void Should_pull_images_and_read_secrets_with_a_managed_identity()
    {
        var (_, registry) = _main.Resources("Microsoft.ContainerRegistry/registries").Single();
        var (_, vault) = _main.Resources("Microsoft.KeyVault/vaults").Single();
        var roles = _main.Resources("Microsoft.Authorization/roleAssignments")
            .Select(role => role.Resource["properties"]!["roleDefinitionId"]!.ToJsonString()).ToList();

        Assert.That(registry["properties"]!["adminUserEnabled"]!.GetValue<bool>(), Is.False);
        Assert.That(vault["properties"]!["enableRbacAuthorization"]!.GetValue<bool>(), Is.True);
        Assert.That(roles, Has.Some.Contain("acrPullRole"));
        Assert.That(roles, Has.Some.Contain("keyVaultSecretsUserRole"));
    }

    [Test]
    public void Should_give_azd_its_outputs_without_a_secret()
    {
        var outputs = _main.Template["outputs"]!.AsObject();
        var secureParameters = _main.SecureParameters().ToList();

        Assert.That(outputs.Select(output => output.Key), Is.SupersetOf(new[]
        {
            "AZURE_CONTAINER_REGISTRY_ENDPOINT", "AZURE_CONTAINER_APPS_ENVIRONMENT_ID", "AZURE_KEY_VAULT_NAME",
            "SERVICE_API_URL", "SERVICE_WEBHOOKS_URL", "SERVICE_LIVE_URL", "SERVICE_WEB_URL",
        }));
        Assert.Multiple(() =>
        {
            foreach (var template in _main.AllTemplates())
            {
                foreach (var (name, output) in template.Template["outputs"] as JsonObject ?? [])
                {
                    var value = output!.ToJsonString();
                    Assert.That(output["type"]!.GetValue<string>(), Does.Not.StartWith("secure"), name);
                    Assert.That(value, Does.Not.Contain("list"), $"{template.Deployment}: {name}");
                    foreach (var parameter in template.SecureParameters().Concat(secureParameters))
                    {
                        Assert.That(value, Does.Not.Contain($"parameters('{parameter}')"), $"{template.Deployment}: {name}");
                    }
                }
            }
        });
    }

    private (ArmTemplate Template, JsonObject Resource) ServiceApp(string service) =>
        ServiceTemplate(service).Resources(ContainerApps).Single(app => app.Template.Deployment == service);

    private ArmTemplate ServiceTemplate(string service) =>
        _main.AllTemplates().Single(template =>
            template.Deployment == service && template.Parameter("name")?.GetValue<string>() == service);

    private (int Min, int Max) Replicas(string service)
    {
        var template = ServiceTemplate(service);
        return (template.Parameter("minReplicas")!.GetValue<int>(), template.Parameter("maxReplicas")!.GetValue<int>());
    }

    private List<string> SecretNames(string service) =>
        ServiceTemplate(service).Parameter("secrets")!.AsArray().Select(secret => secret!["name"]!.GetValue<string>()).ToList();

    /// <summary>An app's secrets, written out or made by a loop (ARM's <c>copy</c>).</summary>
    private static IEnumerable<JsonObject> AppSecrets(JsonObject app)
    {
        var configuration = app["properties"]!["configuration"]!;
        var written = configuration["secrets"] as JsonArray ?? [];
        var looped = (configuration["copy"] as JsonArray ?? [])
            .Where(loop => loop!["name"]!.GetValue<string>() == "secrets")
            .Select(loop => loop!["input"]);
        return written.Concat(looped).Select(secret => secret!.AsObject());
    }

    private static bool LooksSecret(string name) =>
        new[] { "ConnectionStrings__", "Password", "Key", "Secret", "Token" }.Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase));
}
