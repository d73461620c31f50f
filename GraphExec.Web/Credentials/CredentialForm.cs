using GraphExec.Contracts;
using GraphExec.Web.Api;

namespace GraphExec.Web.Credentials;

/// <summary>
/// The form that stores a new credential, or replaces the value of one (<see cref="Replacing"/>): what was typed, and
/// each problem at the field it is about, whether this side or the Api found it. A value never outlives its saving.
/// </summary>
public sealed class CredentialForm
{
    private CredentialForm(string? replacing, CredentialKind kind)
    {
        Replacing = replacing;
        Name = replacing ?? "";
        Kind = kind;
    }

    /// <summary>The name of the credential whose value this form replaces; null for a new credential.</summary>
    public string? Replacing { get; }

    public string Name { get; set; }

    public CredentialKind Kind { get; set; }

    public string Value { get; set; } = "";

    /// <summary>Whether the value is shown as it is typed (by default it is hidden, like a password).</summary>
    public bool ShowValue { get; set; }

    /// <summary>Whether the value is typed in a box of several lines (a PEM key): a password field would drop its line breaks.</summary>
    public bool SeveralLines { get; set; }

    public string? NameError { get; private set; }

    public string? ValueError { get; private set; }

    /// <summary>A refusal that is about no field (over quota, the Api unreachable).</summary>
    public string? Error { get; private set; }

    public bool Busy { get; set; }

    /// <summary>What a config will write, once the name is valid; null before.</summary>
    public string? Reference => CredentialRules.CheckName(Name.Trim()) is null ? CredentialRules.Reference(Name.Trim()) : null;

    /// <summary>The type of the one-line value field.</summary>
    public string ValueInputType => ShowValue ? "text" : "password";

    public static CredentialForm New() => new(null, CredentialKind.Secret);

    public static CredentialForm Replace(Credential credential) => new(credential.Name, credential.Kind);

    /// <summary>Checks what was typed before it is sent; true when there is nothing to point at.</summary>
    public bool Check()
    {
        Name = Name.Trim();
        NameError = Replacing is null ? CredentialRules.CheckName(Name) : null;
        ValueError = CredentialRules.CheckValue(Value);
        Error = null;
        return NameError is null && ValueError is null;
    }

    /// <summary>Places the Api's refusal at the field it names; what names no field is shown above the button.</summary>
    public void Refused(ApiProblem problem)
    {
        NameError = problem.Status == 409
            ? $"You already have a credential named '{Name}'. To change its value, use Replace value on it in the list."
            : Join(problem.MessagesAt("name"));
        ValueError = Join(problem.MessagesAt("value"));
        Error = NameError is null && ValueError is null ? problem.Message : null;
    }

    /// <summary>Forgets the value once the Api has it: it is never shown again, here or anywhere.</summary>
    public void Saved()
    {
        Value = "";
        ShowValue = false;
        NameError = ValueError = Error = null;
        if (Replacing is null)
        {
            Name = "";
            Kind = CredentialKind.Secret;
        }
    }

    private static string? Join(IEnumerable<string> messages) => string.Join(" ", messages) is { Length: > 0 } joined ? joined : null;
}
