using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GraphExec.ServiceDefaults;

/// <summary>Response headers that keep browsers from misusing what a service answers.</summary>
public static class SecurityHeaders
{
    /// <summary>
    /// On every answer: no guessing of content types (<c>nosniff</c>), never shown inside another site's frame
    /// (clickjacking), and no full URL sent to other sites as a referrer. Set as the answer starts, so that an error
    /// page (the exception handler clears headers) carries them too.
    /// </summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app, string? contentSecurityPolicy = null)
    {
        app.Use((context, next) =>
        {
            var response = context.Response;
            response.OnStarting(() =>
            {
                response.Headers.XContentTypeOptions = "nosniff";
                response.Headers.XFrameOptions = "DENY";
                response.Headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                if (contentSecurityPolicy is not null)
                {
                    response.Headers.ContentSecurityPolicy = contentSecurityPolicy;
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
