using GraphExec.Contracts;
using System.Globalization;
using GraphExec.Web.Api;
using GraphExec.Web.Components.Shared;

namespace GraphExec.Web.Credentials;

/// <summary>A credential's kind and times as a person reads them.</summary>
public static class CredentialText
{
    /// <summary>The kinds in the order the form offers them.</summary>
    public static IReadOnlyList<CredentialKind> Kinds { get; } = Enum.GetValues<CredentialKind>();

    /// <summary>How long a value may be, in words.</summary>
    public static string ValueLength { get; } =
        string.Create(CultureInfo.InvariantCulture, $"{CredentialRules.MinValueLength} to {CredentialRules.MaxValueLength:N0} characters");

    public static string Kind(CredentialKind kind) => kind switch
    {
        CredentialKind.ApiKey => "API key",
        CredentialKind.BearerToken => "Bearer token",
        CredentialKind.Password => "Password",
        _ => "Secret",
    };

    /// <summary>"never used", or when a run last read the value.</summary>
    public static string LastUsed(DateTimeOffset? lastUsedAt, DateTimeOffset now) =>
        lastUsedAt is { } used ? $"last used {Formats.Ago(used, now)}" : "never used";

    /// <summary>When the value was last replaced, or null when it is the value the credential was created with.</summary>
    public static string? Replaced(Credential credential, DateTimeOffset now) =>
        credential.UpdatedAt > credential.CreatedAt ? $"value replaced {Formats.Ago(credential.UpdatedAt, now)}" : null;
}
