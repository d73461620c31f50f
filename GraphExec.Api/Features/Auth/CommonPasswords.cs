using System.Collections.Frozen;
using System.IO.Compression;
using System.Text;

namespace GraphExec.Api.Features.Auth;

/// <summary>
/// Passwords from breached and common password lists, 10 to 128 characters long: the ones sign-up refuses whatever
/// their case. Shipped as common-passwords.txt.gz in this assembly (source and licence in common-passwords.README.md)
/// and read once, on first use, so that a process that never signs anyone up never pays for them.
/// </summary>
public static class CommonPasswords
{
    public const string ResourceName = "GraphExec.Api.Features.Auth.common-passwords.txt.gz";

    private static readonly Lazy<FrozenSet<string>> Passwords = new(Load);

    /// <summary>How many passwords the list holds.</summary>
    public static int Count => Passwords.Value.Count;

    /// <summary>Every password of the list, lower-cased.</summary>
    public static IReadOnlyCollection<string> All => Passwords.Value;

    public static bool Contains(string password) => Passwords.Value.Contains(password);

    private static FrozenSet<string> Load()
    {
        using var resource = typeof(CommonPasswords).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The Api assembly lacks its embedded resource {ResourceName}.");
        using var reader = new StreamReader(new GZipStream(resource, CompressionMode.Decompress), Encoding.UTF8);

        var passwords = new List<string>(capacity: 120_000);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                passwords.Add(line);
            }
        }

        return passwords.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
