using System.ComponentModel.DataAnnotations;

namespace GraphExec.Api.Features.Webhooks;

public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Where third parties reach the Webhooks service; a webhook's URL is this plus <c>/hooks/{id}</c>.</summary>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://localhost:5002";

    /// <summary>How long the secret before a rotation stays valid when the rotation names no grace period.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan RotationGracePeriod { get; set; } = TimeSpan.FromHours(24);
}
