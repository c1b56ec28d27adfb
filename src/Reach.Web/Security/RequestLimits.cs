namespace Reach.Web.Security;

/// <summary>
/// Limits Reach answers itself, as problem+json, before Kestrel's own (which close with a bare status):
/// Kestrel takes request lines up to <see cref="KestrelRequestLine"/> bytes so that anything over
/// <see cref="MaxUrl"/> reaches this middleware and is told what the limit is.
/// </summary>
public static class RequestLimits
{
    public const int MaxUrl = 8 * 1024;
    public const int KestrelRequestLine = 64 * 1024;

    public static void ConfigureKestrel(this WebApplicationBuilder builder) => builder.WebHost.ConfigureKestrel(kestrel =>
    {
        // The server's name and version help only an attacker matching it against known holes.
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestLineSize = KestrelRequestLine;
    });

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var length = http.Request.PathBase.Value?.Length + http.Request.Path.Value?.Length + http.Request.QueryString.Value?.Length;
        if (length > MaxUrl)
        {
            await Results.Problem(statusCode: StatusCodes.Status414UriTooLong, title: "The address is too long.",
                detail: $"The path and query are {length} characters; the limit is {MaxUrl}. Send long filters or lists in a request body.")
                .ExecuteAsync(http);
            return;
        }
        await next(http);
    });
}
