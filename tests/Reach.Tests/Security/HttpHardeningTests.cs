using System.Net;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Security;

public sealed class RateLimitedServer : SqliteServer
{
    public const int PerMinute = 5;

    protected override void Configure(Dictionary<string, string?> settings) =>
        settings["Reach:RateLimit:ApiPerMinute"] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class HttpHardeningTests(RateLimitedServer server) : IClassFixture<RateLimitedServer>
{
    [Fact]
    public async Task ResponsesCarryTheSecurityHeaders()
    {
        var response = await server.Http.GetAsync("/openapi/v1.json");

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task TooManyApiCallsGet429WithRetryAfter()
    {
        HttpResponseMessage? refused = null;
        for (var i = 0; i <= RateLimitedServer.PerMinute && refused is null; i++)
        {
            var response = await server.Http.GetAsync("/api/v1/accounts");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                refused = response;
        }

        Assert.NotNull(refused);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
    }
}
