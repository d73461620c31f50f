using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace GraphExec.ServiceDefaults.DataProtection;

/// <summary>Decrypts what <see cref="KeyRingEncryptor"/> wrote, with the current key or a previous one, by the id it names.</summary>
/// <remarks>Data Protection creates decryptors by type name, passing the service provider.</remarks>
internal sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var id = (string?)encryptedElement.Attribute(KeyRingEncryptor.KeyIdAttribute)
            ?? throw new CryptographicException("The encrypted key names no key id.");
        var key = services.GetRequiredService<KeyRingKeys>().Find(id)
            ?? throw new CryptographicException(
                $"Key ring key encrypted with key {id}, which is neither {KeyRingProtectionOptions.Section}:Key nor one of its PreviousKeys.");

        var sealedBytes = Convert.FromBase64String(encryptedElement.Value);
        var length = sealedBytes.Length - KeyRingEncryptor.NonceSize - KeyRingEncryptor.TagSize;
        var plaintext = new byte[length];
        using (var aes = new AesGcm(key, KeyRingEncryptor.TagSize))
        {
            aes.Decrypt(
                sealedBytes.AsSpan(0, KeyRingEncryptor.NonceSize),
                sealedBytes.AsSpan(KeyRingEncryptor.NonceSize, length),
                sealedBytes.AsSpan(KeyRingEncryptor.NonceSize + length),
                plaintext,
                Encoding.UTF8.GetBytes(id));
        }

        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
