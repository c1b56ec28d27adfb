using System.Globalization;
using System.Threading.RateLimiting;

namespace Reach.Web.Security;

/// <summary>
/// Limits API calls per client address (Reach:RateLimit:ApiPerMinute, default 600) and sign-in
/// attempts (<see cref="SignInRateLimit"/>). Refusals are
/// 429 with Retry-After — ASP.NET's limiter answers 503 unless told otherwise.
/// </summary>
public static class ApiRateLimit
{
    public const string Policy = "api";

    /// <summary>The lead-capture endpoint's limit, per token (Reach:RateLimit:LeadCapturePerMinute, default 60).</summary>
    public const string LeadCapturePolicy = "lead-capture";

    public static IServiceCollection AddApiRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = configuration.GetValue("Reach:RateLimit:ApiPerMinute", 600);
        var signInPerMinute = configuration.GetValue("Reach:RateLimit:SignInPerMinute", 10);
        var capturePerMinute = configuration.GetValue("Reach:RateLimit:LeadCapturePerMinute", 60);
        return services.AddRateLimiter(limiter =>
        {
            limiter.AddSignInPolicy(signInPerMinute);
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            // Per token: a website form's token is shared by all its visitors, so a flood from one form stops that form only.
            limiter.AddPolicy(LeadCapturePolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.User.FindFirst(Access.TokenAuthentication.TokenClaim)?.Value ?? http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = capturePerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(statusCode: 429, title: "Too many requests.",
                    detail: $"Too many requests from your address; try again in {Math.Ceiling(retryAfter.TotalSeconds)} s.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
    }
}
