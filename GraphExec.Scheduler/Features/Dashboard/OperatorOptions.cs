using System.ComponentModel.DataAnnotations;

namespace GraphExec.Scheduler.Features.Dashboard;

/// <summary>The operator credentials of the Hangfire dashboard; without a password the Scheduler does not start.</summary>
public sealed class OperatorOptions
{
    public const string Section = "Dashboard";

    [Required, MinLength(1), MaxLength(100)]
    public string Username { get; set; } = "operator";

    /// <summary>The <c>scheduler-dashboard-password</c> AppHost parameter: generated, secret, never logged.</summary>
    [Required, MinLength(16), MaxLength(200)]
    public string? Password { get; set; }
}
