using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace GraphExec.ServiceDefaults.DataProtection;

/// <summary>
/// Encrypts each Data Protection key (its XML) with AES-256-GCM under the configured key, naming that key's id, so that
/// the stored key ring is envelope-encrypted: ring keys protect the data, the configured key protects the ring keys.
/// </summary>
internal sealed class KeyRingEncryptor(KeyRingKeys keys) : IXmlEncryptor
{
    internal const string Element = "encryptedKey";
    internal const string KeyIdAttribute = "keyId";
    internal const int NonceSize = 12;
    internal const int TagSize = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var (id, key) = keys.Current;
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length), Encoding.UTF8.GetBytes(id));
        }

        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement(Element, new XAttribute(KeyIdAttribute, id), Convert.ToBase64String(sealedBytes));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }
}
