using System.Net;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Security;

public sealed class RateLimitedServer : SqliteServer
{
    public const int PerMinute = 5;
    public const int SignInsPerMinute = 3;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Reach:RateLimit:ApiPerMinute"] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Reach:RateLimit:SignInPerMinute"] = SignInsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
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
    public async Task GuessingPasswordsFromOneAddressHitsTheSignInLimit()
    {
        using var anonymous = server.NewClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= RateLimitedServer.SignInsPerMinute; i++)
        {
            var response = await anonymous.PostAsync("/api/v1/auth/tokens", Json.Body(new { email = $"user{i}@test.example", password = "guess number " + i, name = "x" }));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, RateLimitedServer.SignInsPerMinute), HttpStatusCode.TooManyRequests], statuses);
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
