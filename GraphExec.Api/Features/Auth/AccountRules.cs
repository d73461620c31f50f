using System.Text.RegularExpressions;

namespace GraphExec.Api.Features.Auth;

/// <summary>What a user name and a password must be; each rule answers with a message for the person signing up.</summary>
public static partial class AccountRules
{
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 128;

    /// <summary>PBKDF2-HMAC-SHA512 iterations, as OWASP's password storage guidance asks (ASP.NET Core's default is 100,000).</summary>
    public const int PasswordHashIterations = 210_000;

    public const string CommonPasswordMessage = "This password appears in lists of breached and common passwords; choose another.";

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
        _ when CommonPasswords.Contains(password) => CommonPasswordMessage,
        _ when password.Distinct().Count() < 4 => "The password repeats too few characters; choose a less predictable one.",
        _ when username is { Length: > 0 } && password.Contains(username, StringComparison.OrdinalIgnoreCase) =>
            "The password must not contain the user name.",
        _ => null,
    };

    [GeneratedRegex("^[A-Za-z0-9._-]{3,64}$")]
    private static partial Regex UsernamePattern();
}
