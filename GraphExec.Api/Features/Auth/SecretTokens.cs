using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace GraphExec.Api.Features.Auth;

/// <summary>
/// The secrets GraphExec hands out as bearer tokens: 256 random bits, base64url, behind a prefix that says what they are
/// (so that a leaked one is recognised by secret scanners and by the Api, which routes it by prefix). Only their SHA-256
/// is stored: 256 random bits need no salt or slow hash, and a stolen table opens nothing.
/// </summary>
public static class SecretTokens
{
    /// <summary>Refresh tokens of sign-in sessions.</summary>
    public const string RefreshTokenPrefix = "gxr_";

    /// <summary>Personal access tokens.</summary>
    public const string PersonalAccessTokenPrefix = "gxp_";

    private const int RandomBytes = 32;

    /// <summary>Characters of the base64url text of <see cref="RandomBytes"/> bytes, without padding.</summary>
    private const int RandomLength = 43;

    public static string New(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Shaped like a token of <paramref name="prefix"/>: anything else is refused without a database lookup.</summary>
    public static bool IsWellFormed(string token, string prefix) =>
        token.Length == prefix.Length + RandomLength
        && token.StartsWith(prefix, StringComparison.Ordinal)
        && Base64Url.IsValid(token.AsSpan(prefix.Length), out var bytes)
        && bytes == RandomBytes;
}
