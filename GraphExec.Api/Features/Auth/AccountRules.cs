using System.Text.RegularExpressions;

namespace GraphExec.Api.Features.Auth;

/// <summary>What a user name and a password must be; each rule answers with a message for the person signing up.</summary>
public static partial class AccountRules
{
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 128;

    /// <summary>PBKDF2-HMAC-SHA512 iterations, as OWASP's password storage guidance asks (ASP.NET Core's default is 100,000).</summary>
    public const int PasswordHashIterations = 210_000;

    /// <summary>The most common passwords of at least the minimum length: refused whatever their case.</summary>
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "1234567890", "0123456789", "1111111111", "0000000000", "qwertyuiop", "password12", "password123",
        "password1234", "iloveyou12", "letmein123", "welcome123", "abcdefghij", "passw0rd12", "admin12345",
    };

    public static string? CheckUsername(string? username) => username switch
    {
        null or "" => "A user name is required.",
        _ when !UsernamePattern().IsMatch(username) => "A user name is 3 to 64 letters, digits, '.', '_' or '-'.",
        _ => null,
    };

    public static string? CheckPassword(string? password, string? username) => password switch
    {
        null or "" => "A password is required.",
        { Length: < MinPasswordLength } => $"The password is too short: use at least {MinPasswordLength} characters.",
        { Length: > MaxPasswordLength } => $"The password is too long: use at most {MaxPasswordLength} characters.",
        _ when Common.Contains(password) => "This password is among the most common ones; choose another.",
        _ when password.Distinct().Count() < 4 => "The password repeats too few characters; choose a less predictable one.",
        _ when username is { Length: > 0 } && password.Contains(username, StringComparison.OrdinalIgnoreCase) =>
            "The password must not contain the user name.",
        _ => null,
    };

    [GeneratedRegex("^[A-Za-z0-9._-]{3,64}$")]
    private static partial Regex UsernamePattern();
}
