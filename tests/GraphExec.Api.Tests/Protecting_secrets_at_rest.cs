using System.Security.Cryptography;
using GraphExec.Core.Data;
using GraphExec.Hosting.Secrets;
using GraphExec.ServiceDefaults.DataProtection;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.Api.Tests;

/// <summary>
/// The Data Protection key ring is stored encrypted with <c>DataProtection:Key</c>; rotating that key keeps what was
/// protected readable as long as the old key stays in <c>PreviousKeys</c>; and webhook secrets stored in plain text
/// before encryption are encrypted when the services start.
/// </summary>
public sealed class Protecting_secrets_at_rest
{
    private const string OldKey = "old-data-protection-key-of-at-least-32-characters";
    private const string NewKey = "new-data-protection-key-of-at-least-32-characters";

    private DirectoryInfo _ring = null!;

    [SetUp]
    public void NewRing() => _ring = Directory.CreateTempSubdirectory("graphexec-ring-");

    [TearDown]
    public void RemoveRing() => _ring.Delete(recursive: true);

    [Test]
    public void Should_store_ring_keys_encrypted_and_read_them_after_a_rotation_that_keeps_the_old_key()
    {
        var protectedText = Protector(OldKey).Protect("a credential value");

        var afterRotation = Protector(NewKey, previous: OldKey);
        var withoutOldKey = Protector(NewKey);

        var ringXml = string.Concat(_ring.GetFiles("*.xml").Select(file => File.ReadAllText(file.FullName)));
        Assert.Multiple(() =>
        {
            Assert.That(ringXml, Does.Contain("encryptedKey").And.Not.Contain("<masterKey"));
            Assert.That(afterRotation.Unprotect(protectedText), Is.EqualTo("a credential value"));
            Assert.That(() => withoutOldKey.Unprotect(protectedText), Throws.InstanceOf<CryptographicException>());
        });
    }

    [Test]
    public async Task Should_encrypt_webhook_secrets_stored_in_plain_text_when_a_service_starts()
    {
        var plain = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        var webhook = new Webhook { OwnerId = Guid.CreateVersion7(), Id = Guid.CreateVersion7(), GraphId = Guid.CreateVersion7(), Enabled = true, Secret = plain, CreatedAt = DateTimeOffset.UtcNow };
        await using var scope = TestRun.Api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GraphExecDbContext>();
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync();

        await SecretsExtensions.PrepareAsync(scope.ServiceProvider, TimeProvider.System, CancellationToken.None);

        var stored = await db.Webhooks.AsNoTracking().Where(w => w.Id == webhook.Id).Select(w => w.Secret).SingleAsync();
        Assert.That(stored, Does.Not.Contain(plain["whsec_".Length..]));
        Assert.That(scope.ServiceProvider.GetRequiredService<SecretProtection>().UnprotectWebhookSecret(webhook.Id, stored), Is.EqualTo(plain));
    }

    /// <summary>Data Protection as a service configures it, over a key ring in a folder instead of PostgreSQL.</summary>
    private IDataProtector Protector(string key, string? previous = null)
    {
        var settings = new Dictionary<string, string?> { ["DataProtection:Key"] = key };
        if (previous is not null)
        {
            settings["DataProtection:PreviousKeys:0"] = previous;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddDataProtection().SetApplicationName("rotation").PersistKeysToFileSystem(_ring).ProtectKeysWithConfiguredKey();
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
    }
}
