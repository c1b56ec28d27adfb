namespace Reach.Web.Security;

/// <summary>
/// Response headers that ASP.NET Core does not send by default (OWASP ASVS 14.4): no MIME sniffing,
/// no framing by other sites, no referrer leaking record URLs, and a content policy that allows
/// only this origin's scripts and styles.
/// </summary>
public static class SecurityHeaders
{
    // The API reference page (Scalar) runs inline bootstrap script and styles from its own assets.
    const string ApiDocsPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    // Reports are self-contained pages (one inline stylesheet, inline SVG) and run no script.
    const string ReportPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    const string Policy = "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    // /reports/{kind} and the API's /api/v1/reports/{kind} are reports; /Reports (the page that picks one) is an
    // ordinary page with a form.
    static bool IsReport(PathString path) =>
        (path.StartsWithSegments("/reports", out var rest) || path.StartsWithSegments("/api/v1/reports", out rest)) && rest.HasValue && rest != "/";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/api/docs") ? ApiDocsPolicy
                : IsReport(http.Request.Path) ? ReportPolicy : Policy;
            if (http.Request.Path.StartsWithSegments("/api"))
                headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        await next(http);
    });
}
