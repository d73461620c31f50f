namespace GraphExec.Web.Extensions;

/// <summary>
/// What pages of the Web UI may load and run: only this origin's scripts (no inline script, no eval: Blazor Server needs
/// neither), inline styles (Blazor and the run timeline set style attributes), its own WebSocket (the circuit), and no
/// framing by other sites. A script injected into a page, or a form posting elsewhere, is refused by the browser.
/// </summary>
public static class WebContentSecurity
{
    public const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
}
