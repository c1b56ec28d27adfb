using System.Net;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Forecasting;

/// <summary><c>GET /api/v1/forecast</c> over real HTTP against each database provider, on <see cref="ForecastWorkspace"/>.</summary>
public abstract class ForecastApiTests(ReachServer server)
{
    HttpClient Http => server.Http;

    [Fact]
    public async Task ForecastsBothPeriodsAndFlagsTheImplausibleCloseDate()
    {
        var http = Http;
        var now = server.Clock.UtcNow;
        await using (var db = server.OpenDb())
            await ForecastWorkspace.SeedAsync(db, now);

        var response = await http.GetAsync("/api/v1/forecast?period=quarter&trials=2000&seed=9");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.ReadObjectAsync();
        Assert.Equal("EUR", (string)json["currency"]!);
        Assert.Equal("quarter", (string)json["periodKind"]!);
        Assert.Equal(11, (int)json["closedDeals"]!);
        Assert.Equal(1, (int)json["openDeals"]!);
        var periods = json["periods"]!.AsArray();
        Assert.Equal(2, periods.Count);
        var total = periods[0]!["total"]!;
        Assert.Equal(5000m, (decimal)total["closedWon"]!);
        Assert.Equal(2000m, (decimal)total["repCall"]!["commit"]!);
        Assert.True((decimal)total["p10"]! >= 5000m && (decimal)total["p10"]! <= (decimal)total["p50"]! && (decimal)total["p50"]! <= (decimal)total["p90"]!);
        Assert.Equal("inside", (string)periods[0]!["channels"]![0]!["channel"]!);

        var flagged = json["flaggedDeals"]!.AsArray().Single()!;
        Assert.Equal(2000m, (decimal)flagged["amount"]!);
        Assert.Equal(["cycle_underestimated"], flagged["flags"]!.AsArray().Select(f => (string)f!));
        Assert.Equal(ForecastWorkspace.OpenDealWinProbability, (double)flagged["winProbability"]!, 9);
        Assert.Equal(DateOnly.FromDateTime(now.AddDays(25)).ToString("yyyy-MM-dd"), (string)flagged["earliestPlausibleClose"]!);
        Assert.Contains(json["notes"]!.AsArray(), n => ((string)n!).Contains("1 open deal in other currencies", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("period=week", "period")]
    [InlineData("trials=0", "trials")]
    [InlineData("seed=-1", "seed")]
    [InlineData("currency=euro", "currency")]
    [InlineData("limit=5", "limit")]
    [InlineData("perod=month", "perod")]
    public async Task ABadParameterIsAProblemNamingIt(string query, string field)
    {
        var response = await Http.GetAsync($"/api/v1/forecast?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True((await response.ReadObjectAsync())["errors"]!.AsObject().ContainsKey(field));
    }
}

public sealed class ForecastApiOnSqliteTests(SqliteServer server) : ForecastApiTests(server), IClassFixture<SqliteServer>;

public sealed class ForecastApiOnPostgresTests(PostgresServer server) : ForecastApiTests(server), IClassFixture<PostgresServer>;
