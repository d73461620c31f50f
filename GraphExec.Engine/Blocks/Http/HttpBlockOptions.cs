using System.Net.Http;

namespace GraphExec.Engine.Blocks.Http;

/// <summary>Limits of the http block, set by whoever hosts the engine.</summary>
public sealed class HttpBlockOptions
{
    /// <summary>
    /// Set on a request whose URL holds a secret: the URL with secrets masked, for the host's tracing to record in place
    /// of the real one (a key in a path, as in <c>/bot{{secrets.token}}/sendMessage</c>, would otherwise reach traces).
    /// </summary>
    public static readonly HttpRequestOptionsKey<string> MaskedUrl = new("GraphExec.MaskedUrl");

    /// <summary>
    /// Destinations allowed although they are not public: host names ("billing.internal",
    /// "*.corp.example"), addresses ("10.1.2.3") and networks ("10.0.0.0/8", "fd00::/8").
    /// Everything else that is private, loopback, link-local or a cloud metadata address is refused.
    /// </summary>
    public IList<string> AllowList { get; init; } = [];

    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The most a node may ask for with <c>timeoutMs</c>.</summary>
    public TimeSpan MaxTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest response body read; a node may ask for less with <c>maxResponseBytes</c>.</summary>
    public int MaxResponseBytes { get; init; } = 1024 * 1024;

    public int MaxRedirects { get; init; } = 5;
}
