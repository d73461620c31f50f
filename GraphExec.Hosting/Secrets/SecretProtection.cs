using Microsoft.AspNetCore.DataProtection;

namespace GraphExec.Hosting.Secrets;

/// <summary>
/// Encrypts and decrypts what GraphExec stores as secrets, with Data Protection: a purpose per kind, and below it the
/// owner (credentials) or the webhook (webhook secrets), so that a value copied to another row does not decrypt there.
/// </summary>
public sealed class SecretProtection(IDataProtectionProvider provider)
{
    private readonly IDataProtector _credentials = provider.CreateProtector("GraphExec.Credentials.v1");
    private readonly IDataProtector _webhookSecrets = provider.CreateProtector("GraphExec.WebhookSecrets.v1");
    private readonly IDataProtector _notificationSecrets = provider.CreateProtector("GraphExec.NotificationSecrets.v1");

    public string ProtectCredential(Guid ownerId, string value) => Credentials(ownerId).Protect(value);

    /// <exception cref="System.Security.Cryptography.CryptographicException">The value does not decrypt with the key ring.</exception>
    public string UnprotectCredential(Guid ownerId, string protectedValue) => Credentials(ownerId).Unprotect(protectedValue);

    public string ProtectWebhookSecret(Guid webhookId, string secret) => WebhookSecrets(webhookId).Protect(secret);

    /// <exception cref="System.Security.Cryptography.CryptographicException">The value does not decrypt with the key ring.</exception>
    public string UnprotectWebhookSecret(Guid webhookId, string protectedSecret) => WebhookSecrets(webhookId).Unprotect(protectedSecret);

    public string ProtectNotificationSecret(Guid endpointId, string secret) => NotificationSecrets(endpointId).Protect(secret);

    /// <exception cref="System.Security.Cryptography.CryptographicException">The value does not decrypt with the key ring.</exception>
    public string UnprotectNotificationSecret(Guid endpointId, string protectedSecret) => NotificationSecrets(endpointId).Unprotect(protectedSecret);

    private IDataProtector Credentials(Guid ownerId) => _credentials.CreateProtector(ownerId.ToString("N"));

    private IDataProtector WebhookSecrets(Guid webhookId) => _webhookSecrets.CreateProtector(webhookId.ToString("N"));

    private IDataProtector NotificationSecrets(Guid endpointId) => _notificationSecrets.CreateProtector(endpointId.ToString("N"));
}
