using GraphExec.Core.Data;
using GraphExec.ServiceDefaults.DataProtection;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GraphExec.Hosting.Secrets;

public static class SecretsExtensions
{
    /// <summary>The application name every service gives Data Protection, so that they share one key ring.</summary>
    public const string ApplicationName = "GraphExec";

    private static readonly TimeSpan KeyLifetime = TimeSpan.FromDays(90);

    /// <summary>How every webhook secret starts in plain text; an encrypted one never does.</summary>
    private const string PlainWebhookSecretPrefix = "whsec_";

    /// <summary>
    /// Data Protection over the key ring in PostgreSQL (table <c>data_protection_keys</c>), encrypted with
    /// <c>DataProtection:Key</c>, and <see cref="SecretProtection"/> over it. The ring's first key is made while
    /// migrating (see <see cref="EnsureKey"/>); after that only a service that encrypts (<paramref name="makesKeys"/>,
    /// the Api) makes new keys, as the current one nears its end, and the others pick them up as Data Protection
    /// refreshes the ring, within the two days before a new key becomes the default.
    /// </summary>
    public static TBuilder AddGraphExecSecrets<TBuilder>(this TBuilder builder, bool makesKeys) where TBuilder : IHostApplicationBuilder
    {
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .SetDefaultKeyLifetime(KeyLifetime)
            .PersistKeysToDbContext<GraphExecDbContext>()
            .ProtectKeysWithConfiguredKey();
        if (!makesKeys)
        {
            dataProtection.DisableAutomaticKeyGeneration();
        }

        builder.Services.AddSingleton<SecretProtection>();
        return builder;
    }

    /// <summary>
    /// What one process does under the migration lock once the schema is current, in a service that uses secrets: makes
    /// the key ring's first key when it has no usable one (replicas starting together would otherwise each make a key of
    /// their own, and read what the others encrypt only once they next load the ring), then encrypts webhook secrets
    /// stored in plain text before secrets were encrypted.
    /// </summary>
    internal static async Task PrepareAsync(IServiceProvider services, TimeProvider time, CancellationToken cancellationToken)
    {
        // Services without secrets may still have Data Protection (for their own use, on their own ring): not this one.
        if (services.GetService<SecretProtection>() is not { } protection)
        {
            return;
        }

        var keys = services.GetRequiredService<IKeyManager>();
        var now = time.GetUtcNow();
        if (!keys.GetAllKeys().Any(key => !key.IsRevoked && key.ActivationDate <= now && key.ExpirationDate > now))
        {
            keys.CreateNewKey(now, now + KeyLifetime);
        }

        var db = services.GetRequiredService<GraphExecDbContext>();
        var plain = await db.Webhooks
            .Where(w => w.Secret.StartsWith(PlainWebhookSecretPrefix) || w.PreviousSecret!.StartsWith(PlainWebhookSecretPrefix))
            .ToListAsync(cancellationToken);
        foreach (var webhook in plain)
        {
            webhook.Secret = Protected(webhook.Id, webhook.Secret)!;
            webhook.PreviousSecret = Protected(webhook.Id, webhook.PreviousSecret);
        }

        await db.SaveChangesAsync(cancellationToken);

        string? Protected(Guid webhookId, string? secret) =>
            secret is not null && secret.StartsWith(PlainWebhookSecretPrefix, StringComparison.Ordinal)
                ? protection.ProtectWebhookSecret(webhookId, secret)
                : secret;
    }
}
