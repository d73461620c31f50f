using GraphExec.Engine.Graphs;
using GraphExec.Engine.Json;

namespace GraphExec.Api.Features.Credentials;

/// <summary>What a credential's name and value must be; each rule answers with a message naming the limit.</summary>
public static class CredentialRules
{
    /// <summary>
    /// Values are masked as <c>***</c> wherever they would appear in what runs store and show; a shorter value would mask
    /// ordinary words, as CI systems also find.
    /// </summary>
    public const int MinValueLength = 8;

    /// <summary>Room for a PEM private key or a service account's JSON key.</summary>
    public const int MaxValueLength = 16 * 1024;

    public static string? CheckName(string? name) => name switch
    {
        null or "" => "A name is required.",
        _ when !Names.IsValid(name) => $"A name is {Names.Rule}, so that a config can write it as {{{{secrets.NAME}}}}.",
        _ => null,
    };

    public static string? CheckValue(string? value) => value switch
    {
        null or "" => "A value is required.",
        { Length: < MinValueLength } => $"The value is too short to be masked in run results: use at least {MinValueLength} characters.",
        { Length: > MaxValueLength } => $"The value is too long: at most {MaxValueLength} characters.",
        _ when value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')) =>
            "The value holds a control character; only line breaks and tabs are allowed.",
        _ when StorableText.Problem(value) is { } problem => problem,
        _ => null,
    };
}
