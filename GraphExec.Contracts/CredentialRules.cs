namespace GraphExec.Contracts;

/// <summary>
/// What a credential's name and value must be: the Api's rules, which the Web UI also checks as the person types, so
/// that most mistakes never reach the Api and a message reads alike whichever side found it. The name is a template path
/// segment (<c>{{secrets.NAME}}</c>); the Api also refuses text that cannot be stored.
/// </summary>
public static class CredentialRules
{
    public const int MaxNameLength = 64;

    /// <summary>Values are masked as <c>***</c> in run results; a shorter value would mask ordinary words.</summary>
    public const int MinValueLength = 8;

    /// <summary>Room for a PEM private key or a service account's JSON key.</summary>
    public const int MaxValueLength = 16 * 1024;

    public const string NameRule = "1 to 64 letters, digits, '_' or '-'";

    public static string? CheckName(string? name) => name switch
    {
        null or "" => "A name is required.",
        _ when !IsName(name) => $"A name is {NameRule}, so that a config can write it as {{{{secrets.NAME}}}}.",
        _ => null,
    };

    public static string? CheckValue(string? value) => value switch
    {
        null or "" => "A value is required.",
        { Length: < MinValueLength } => $"The value is too short to be masked in run results: use at least {MinValueLength} characters.",
        { Length: > MaxValueLength } => $"The value is too long: at most {MaxValueLength} characters.",
        _ when value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')) =>
            "The value holds a control character; only line breaks and tabs are allowed.",
        _ => null,
    };

    /// <summary>What a block config writes to use the credential named <paramref name="name"/>.</summary>
    public static string Reference(string name) => "{{secrets." + name + "}}";

    private static bool IsName(string name) =>
        name.Length <= MaxNameLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
