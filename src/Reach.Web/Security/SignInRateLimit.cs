using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Reach.Web.Security;

/// <summary>
/// Sign-in attempts per client address (Reach:RateLimit:SignInPerMinute, default 10), on top of
/// Identity's per-account lockout: the lockout stops guessing one password, this stops spraying many accounts.
/// </summary>
public static class SignInRateLimit
{
    public const string Policy = "sign-in";

    public static RateLimiterOptions AddSignInPolicy(this RateLimiterOptions limiter, int perMinute) =>
        limiter.AddPolicy(Policy, http => RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
}
