using System.Security.Cryptography;
using System.Text;

namespace GraphExec.ServiceDefaults.DataProtection;

/// <summary>The AES-256 keys derived from the configured key and its predecessors, by id.</summary>
internal sealed class KeyRingKeys
{
    private static readonly byte[] Info = Encoding.UTF8.GetBytes("GraphExec data protection key ring");

    private readonly Dictionary<string, byte[]> _byId;

    public KeyRingKeys(KeyRingProtectionOptions options)
    {
        var current = Derive(options.Key ?? throw new InvalidOperationException($"{KeyRingProtectionOptions.Section}:Key is not set."));
        Current = (IdOf(current), current);
        _byId = options.PreviousKeys.Select(Derive).Append(current).ToDictionary(IdOf, key => key);
    }

    public (string Id, byte[] Key) Current { get; }

    public byte[]? Find(string id) => _byId.GetValueOrDefault(id);

    private static byte[] Derive(string secret) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, salt: [], info: Info);

    /// <summary>Names the key in each encrypted element without revealing it: the first bytes of its hash.</summary>
    private static string IdOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8));
}
