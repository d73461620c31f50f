using System.ComponentModel.DataAnnotations;

namespace GraphExec.Core.Quotas;

/// <summary>
/// The quotas of every user (configuration section <c>Quotas</c>, e.g. <c>Quotas__Graphs</c>), and of some users in
/// particular: <c>Quotas__Users__{user id}__Graphs</c> sets one quota of that user, who keeps the defaults for the rest.
/// </summary>
public sealed class QuotaOptions : UserQuotas
{
    public const string Section = "Quotas";

    public const string UsersSection = "Users";

    /// <summary>The users with quotas of their own (a field, so that binding the section leaves it alone).</summary>
    private readonly Dictionary<Guid, UserQuotas> _users = [];

    /// <summary>The quotas that apply to <paramref name="ownerId"/>.</summary>
    public UserQuotas For(Guid ownerId) => _users.GetValueOrDefault(ownerId) ?? this;

    /// <summary>Gives <paramref name="ownerId"/> quotas of its own: a <see cref="UserQuotas.Copy"/> of these with the user's settings over it.</summary>
    public void SetUser(Guid ownerId, UserQuotas quotas) => _users[ownerId] = quotas;

    /// <summary>The defaults and every user's quotas checked against their ranges.</summary>
    public IEnumerable<string> Problems() =>
        _users.Select(user => (Name: $"{Section}:{UsersSection}:{user.Key}", Quotas: user.Value))
            .Prepend((Section, this))
            .SelectMany(entry =>
            {
                var results = new List<ValidationResult>();
                Validator.TryValidateObject(entry.Quotas, new ValidationContext(entry.Quotas), results, validateAllProperties: true);
                return results.Select(result => $"{entry.Name}: {result.ErrorMessage}");
            });
}
