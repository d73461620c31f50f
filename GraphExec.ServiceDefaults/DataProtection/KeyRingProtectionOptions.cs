using System.ComponentModel.DataAnnotations;

namespace GraphExec.ServiceDefaults.DataProtection;

/// <summary>
/// The key that encrypts the Data Protection key ring wherever it is stored (PostgreSQL, Redis): the AppHost's
/// <c>data-protection-key</c> parameter locally, a secret in a deployment. Without it, whoever reads the store reads
/// every key, and with them every credential, webhook secret and sign-in cookie.
/// </summary>
public sealed class KeyRingProtectionOptions
{
    public const string Section = "DataProtection";

    /// <summary>At least 32 characters; the AES-256 key is derived from it. New ring keys are encrypted with it.</summary>
    [Required]
    [MinLength(32)]
    public string? Key { get; set; }

    /// <summary>
    /// Keys that encrypted ring keys before the current one, still used to decrypt them: to rotate, move the current key
    /// here and set a new <see cref="Key"/>. Ring keys made since are encrypted with the new key only.
    /// </summary>
    public string[] PreviousKeys { get; set; } = [];
}
