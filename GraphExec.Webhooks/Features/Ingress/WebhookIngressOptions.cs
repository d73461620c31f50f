using System.ComponentModel.DataAnnotations;

namespace GraphExec.Webhooks.Features.Ingress;

public sealed class WebhookIngressOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Bodies above this answer 413; enforced while reading, whatever the server in front allows. A body's top-level
    /// properties are the inputs, each of which may be as large as a stored value (<c>Blobs:MaxValueBytes</c>, 64 MiB).
    /// </summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 65L * 1024 * 1024;

    /// <summary>Deliveries per second each webhook may receive on one instance, on average.</summary>
    [Range(1, 100_000)]
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Deliveries each webhook may receive at once, above the average.</summary>
    [Range(1, 100_000)]
    public int Burst { get; set; } = 200;

    /// <summary>
    /// Deliveries to webhooks that do not exist that one client address may send per minute on one instance; beyond them
    /// it is answered 429 before any lookup (deliveries to webhooks the caches hold still pass).
    /// </summary>
    [Range(1, 100_000)]
    public int UnknownPerAddressPerMinute { get; set; } = 60;
}
