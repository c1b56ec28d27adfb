using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Metrics;

/// <summary>Metrics, targets, costs, exchange rates and reports over real HTTP on <see cref="MetricsWorkspace"/>, with their permissions.</summary>
public abstract class MetricsApiTests(ReachServer server)
{
    async Task<MetricsWorkspace> WorkspaceAsync()
    {
        _ = server.Http;
        return await MetricsWorkspace.ForAsync(server);
    }

    static async Task<JsonObject> OkAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.ReadObjectAsync();
    }

    static JsonNode Channel(JsonNode result, string channel) => result["channels"]!.AsArray().Single(c => (string)c!["channel"]! == channel)!;

    [Fact]
    public async Task MetricsGiveTheBlendedTotalAndEachChannelSideBySide()
    {
        await WorkspaceAsync();
        var json = await OkAsync(await server.Http.GetAsync("/api/v1/metrics?metric=bookings,win_rate&period=2027-Q1"));

        var bookings = json["results"]![0]!;
        Assert.Equal("bookings", (string)bookings["metric"]!["id"]!);
        Assert.Equal(147200m, (decimal)bookings["total"]!["value"]!);
        Assert.Equal(200000m, (decimal)bookings["total"]!["target"]!);
        Assert.Equal(9000m, (decimal)bookings["total"]!["previous"]!);
        Assert.Equal((1200m, 26000m, 120000m), ((decimal)Channel(bookings, "self_service")["value"]!, (decimal)Channel(bookings, "inside")["value"]!, (decimal)Channel(bookings, "field")["value"]!));
        Assert.Equal(2, bookings["excluded"]!.AsArray().Count);
        Assert.Equal("2027-Q1", (string)bookings["period"]!["label"]!);
        Assert.Equal("2026-Q4", (string)bookings["previousPeriod"]!["label"]!);
        Assert.Equal("win_rate", (string)json["results"]![1]!["metric"]!["id"]!);

        var custom = await OkAsync(await server.Http.GetAsync("/api/v1/metrics?metric=bookings&from=2027-02-15&to=2027-03-01&channel=field"));
        Assert.Equal(30000m, (decimal)custom["results"]![0]!["total"]!["value"]!);
        Assert.Equal("field", (string)custom["results"]![0]!["total"]!["channel"]!);
    }

    [Fact]
    public async Task FiguresAndTheirDealsCutByThePlansSegment()
    {
        await WorkspaceAsync();
        var json = await OkAsync(await server.Http.GetAsync("/api/v1/metrics?metric=bookings&period=2027-Q1&segment=smb"));
        var bookings = json["results"]![0]!;
        Assert.Equal(16000m, (decimal)bookings["total"]!["value"]!);
        Assert.Null(bookings["total"]!["target"]);

        var deals = await OkAsync(await server.Http.GetAsync("/api/v1/metrics/deals?metric=deals_won&period=2027-Q1&segment=Mid-market"));
        // Tiers A and C: won in the quarter by close date (D10 has none).
        Assert.Equal(["D1 inside won EUR", "D14 field won CHF", "D3 field won USD", "D4 field expansion"], deals["items"]!.AsArray().Select(d => (string)d!["name"]!));
    }

    [Fact]
    public async Task TheDrillDownListsTheDealsBehindAFigure()
    {
        await WorkspaceAsync();
        var json = await OkAsync(await server.Http.GetAsync("/api/v1/metrics/deals?metric=bookings&period=2027-Q1&channel=inside"));

        Assert.Equal(["D1 inside won EUR", "D2 inside won USD"], json["items"]!.AsArray().Select(d => (string)d!["name"]!));
        Assert.Equal(16000m, (decimal)json["items"]![1]!["converted"]!);

        var touches = await server.Http.GetAsync("/api/v1/metrics/deals?metric=touches&period=2027-Q1");
        Assert.Equal(HttpStatusCode.BadRequest, touches.StatusCode);
    }

    [Theory]
    [InlineData("period=2027-Q5", "period")]
    [InlineData("metric=bookingz", "metric")]
    [InlineData("from=2027-01-01", "to")]
    [InlineData("channel=phone", "channel")]
    [InlineData("perod=2027-Q1", "perod")]
    [InlineData("from=2020-01-01&to=9999-12-31", "to")]
    [InlineData("from=2000-01-01&to=2027-01-01", "to")]
    [InlineData("period=0000-01", "period")]
    [InlineData("period=1800-01-01..1800-02-01", "period")]
    [InlineData("segment=Enterprise", "segment")]
    public async Task ABadParameterIsAProblemNamingIt(string query, string field)
    {
        await WorkspaceAsync();
        var response = await server.Http.GetAsync($"/api/v1/metrics?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True((await response.ReadObjectAsync())["errors"]!.AsObject().ContainsKey(field));
    }

    [Fact]
    public async Task ARepSeesTheirOwnFiguresAndIsRefusedAnotherRepsOrATeams()
    {
        var workspace = await WorkspaceAsync();
        using var rep = server.NewClient(workspace.RepAToken);

        var own = await OkAsync(await rep.GetAsync("/api/v1/metrics?metric=bookings&period=2027-Q1"));
        Assert.Equal(26000m, (decimal)own["results"]![0]!["total"]!["value"]!);
        Assert.Equal(50000m, (decimal)own["results"]![0]!["total"]!["target"]!);

        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync($"/api/v1/metrics?metric=bookings&rep={workspace.RepB.Email}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync($"/api/v1/reports/quarterly?period=2027-Q1&rep={workspace.RepB.Email}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/api/v1/reports/monthly?team=East")).StatusCode);

        var report = await OkAsync(await rep.GetAsync("/api/v1/reports/quarterly?period=2027-Q1"));
        Assert.Equal("Rep A", (string)report["scope"]!);
        Assert.Equal(26000m, (decimal)report["headline"]![0]!["total"]!["value"]!);
    }

    [Fact]
    public async Task AManagerGetsTheirTeamsReportOnly()
    {
        var workspace = await WorkspaceAsync();
        using var manager = server.NewClient(workspace.ManagerToken);

        var team = await OkAsync(await manager.GetAsync("/api/v1/reports/quarterly?period=2027-Q1&team=East"));
        Assert.Equal("East", (string)team["scope"]!);
        Assert.Equal(26000m, (decimal)team["headline"]![0]!["total"]!["value"]!);
        var rep = await OkAsync(await manager.GetAsync($"/api/v1/reports/quarterly?period=2027-Q1&rep={workspace.RepA.Email}"));
        Assert.Equal("Rep A", (string)rep["scope"]!);

        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync("/api/v1/reports/quarterly?team=West")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync($"/api/v1/reports/quarterly?rep={workspace.RepB.Email}")).StatusCode);
    }

    [Fact]
    public async Task ReportsComeAsJsonHtmlCsvAndXlsxWithTheSameFigures()
    {
        await WorkspaceAsync();
        var json = await OkAsync(await server.Http.GetAsync("/api/v1/reports/quarterly?period=2027-Q1"));
        Assert.Equal("Workspace", (string)json["scope"]!);
        Assert.Equal(["D3 field won USD", "D4 field expansion", "D2 inside won USD", "D1 inside won EUR", "D5 self-service won"],
            json["wins"]!.AsArray().Select(w => (string)w!["name"]!));
        Assert.Equal("D8 field lost", (string)json["losses"]![0]!["name"]!);

        var html = await server.Http.GetAsync("/api/v1/reports/quarterly?period=2027-Q1&format=html");
        Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
        var page = await html.Content.ReadAsStringAsync();
        Assert.Contains("<svg", page, StringComparison.Ordinal);
        Assert.Contains("147,200", page, StringComparison.Ordinal);

        var csv = await server.Http.GetAsync("/api/v1/reports/quarterly?period=2027-Q1&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n");
        Assert.StartsWith("Bookings,147200,1200,26000,120000,", lines.First(l => l.StartsWith("Bookings,", StringComparison.Ordinal)), StringComparison.Ordinal);

        var xlsx = await server.Http.GetAsync("/api/v1/reports/quarterly?period=2027-Q1&format=xlsx");
        var bytes = await xlsx.Content.ReadAsByteArrayAsync();
        Assert.Equal("PK", System.Text.Encoding.ASCII.GetString(bytes, 0, 2));

        if (File.Exists(Reach.Metrics.Reports.ReportPrinter.DefaultChromium))
        {
            var pdf = await server.Http.GetAsync("/api/v1/reports/weekly?period=2027-W05&format=pdf");
            Assert.True(pdf.Content.Headers.ContentType!.MediaType == "application/pdf", await pdf.Content.ReadAsStringAsync());
            Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await pdf.Content.ReadAsByteArrayAsync())[..4]));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/api/v1/reports/daily")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Http.GetAsync("/api/v1/reports/weekly?period=2027-03")).StatusCode);
    }

    [Fact]
    public async Task ManagersSetTheirTeamsTargetsAndRepsOnlyReadTheirs()
    {
        var workspace = await WorkspaceAsync();
        using var manager = server.NewClient(workspace.ManagerToken);
        using var rep = server.NewClient(workspace.RepAToken);
        var forRepA = new { metric = "deals_won", periodStart = "2031-01-01", periodEnd = "2031-04-01", userId = workspace.RepA.Id, value = 4 };

        var created = await manager.PostAsync("/api/v1/targets", Json.Body(forRepA));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var first = (await created.ReadObjectAsync()).Id();
        var audit = await OkAsync(await server.Http.GetAsync($"/api/v1/audit?entityType=target&entityId={first}"));
        Assert.Equal("create", (string)audit["items"]![0]!["action"]!);
        Assert.Equal(workspace.Manager.Id.ToString(), (string)audit["items"]![0]!["actorId"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsync("/api/v1/targets", Json.Body(forRepA with { userId = workspace.RepB.Id }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsync("/api/v1/targets", Json.Body(new { metric = "deals_won", periodStart = "2031-01-01", periodEnd = "2031-04-01", value = 4 }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsync("/api/v1/targets", Json.Body(forRepA))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Http.PostAsync("/api/v1/targets", Json.Body(new { metric = "revenue", periodStart = "2031-01-01", periodEnd = "2031-04-01", value = 4 }))).StatusCode);

        // A second target over some of the same days would be added to the first: refused, naming the days it covers.
        var overlapping = await manager.PostAsync("/api/v1/targets", Json.Body(forRepA with { periodStart = "2031-03-01", periodEnd = "2031-05-01" }));
        Assert.Equal(HttpStatusCode.BadRequest, overlapping.StatusCode);
        Assert.Contains("already covers 2031-01-01 to 2031-03-31", (string)(await overlapping.ReadObjectAsync())["errors"]!["periodStart"]![0]!, StringComparison.Ordinal);
        // Another channel, or the following quarter, is a target of its own; changing the first keeps its own days.
        Assert.Equal(HttpStatusCode.Created, (await manager.PostAsync("/api/v1/targets", Json.Body(new { metric = "deals_won", periodStart = "2031-01-01", periodEnd = "2031-04-01", userId = workspace.RepA.Id, channel = "inside", value = 2 }))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await manager.PostAsync("/api/v1/targets", Json.Body(forRepA with { periodStart = "2031-04-01", periodEnd = "2031-07-01" }))).StatusCode);
        var changed = await manager.PatchAsync($"/api/v1/targets/{first}", new { value = 5 });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        // The metric is stored as the catalogue names it, so another case is the same metric, and overlaps.
        Assert.Equal(HttpStatusCode.BadRequest, (await manager.PostAsync("/api/v1/targets", Json.Body(forRepA with { metric = "DEALS_WON" }))).StatusCode);
        // A deleted target whose days another has taken meanwhile does not come back.
        Assert.Equal(HttpStatusCode.NoContent, (await manager.DeleteAsync($"/api/v1/targets/{first}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await manager.PostAsync("/api/v1/targets", Json.Body(forRepA with { periodStart = "2031-02-01", periodEnd = "2031-03-01" }))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await manager.PostAsync($"/api/v1/targets/{first}/restore", null)).StatusCode);
        // A win rate is a fraction: 35 would be 3,500%.
        var rate = await manager.PostAsync("/api/v1/targets", Json.Body(new { metric = "win_rate", periodStart = "2032-01-01", periodEnd = "2032-04-01", userId = workspace.RepA.Id, value = 35 }));
        Assert.Equal(HttpStatusCode.BadRequest, rate.StatusCode);
        Assert.True((await rate.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("value"));
        // Periods are of the years the figures can be read for.
        var faraway = await manager.PostAsync("/api/v1/targets", Json.Body(forRepA with { periodStart = "9999-12-01", periodEnd = "9999-12-31" }));
        Assert.Equal(HttpStatusCode.BadRequest, faraway.StatusCode);
        Assert.True((await faraway.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("periodEnd"));

        // from/to pick the targets whose period overlaps those days, both included: a period's end is the next one's start.
        var april = (await OkAsync(await manager.GetAsync($"/api/v1/targets?metric=deals_won&user={workspace.RepA.Id}&from=2031-04-01&to=2031-04-30")))["items"]!.AsArray();
        Assert.Equal(["2031-04-01"], april.Select(t => (string)t!["periodStart"]!));
        var january = (await OkAsync(await manager.GetAsync($"/api/v1/targets?metric=deals_won&user={workspace.RepA.Id}&to=2031-01-31")))["items"]!.AsArray();
        Assert.DoesNotContain(january, t => (string)t!["periodStart"]! == "2031-04-01");

        var seen = (await OkAsync(await rep.GetAsync("/api/v1/targets?limit=100")))["items"]!.AsArray();
        Assert.DoesNotContain(seen, t => (string?)t!["userId"] == workspace.RepB.Id.ToString());
        Assert.Contains(seen, t => (string?)t!["userId"] == workspace.RepA.Id.ToString() && (string)t["metric"]! == "deals_won");
        Assert.Contains(seen, t => t!["userId"] is null && t["teamId"] is null);
    }

    [Fact]
    public async Task CostsAreForManagersAndExchangeRatesForAdmins()
    {
        var workspace = await WorkspaceAsync();
        using var manager = server.NewClient(workspace.ManagerToken);
        using var rep = server.NewClient(workspace.RepAToken);
        var cost = new { channel = "inside", periodStart = "2031-01-01", periodEnd = "2031-02-01", amount = 1000, currency = "EUR" };

        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/api/v1/costs")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await manager.PostAsync("/api/v1/costs", Json.Body(cost))).StatusCode);
        // from/to pick the costs whose period overlaps those days, both included.
        Assert.Contains((await OkAsync(await manager.GetAsync("/api/v1/costs?from=2031-01-31&to=2031-01-31")))["items"]!.AsArray(), c => (string)c!["periodStart"]! == "2031-01-01");
        Assert.DoesNotContain((await OkAsync(await manager.GetAsync("/api/v1/costs?from=2031-02-01")))["items"]!.AsArray(), c => (string)c!["periodStart"]! == "2031-01-01");

        var rate = new { currency = "SEK", rate = 0.09, validFrom = "2031-01-01" };
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsync("/api/v1/exchange-rates", Json.Body(rate))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await server.Http.PostAsync("/api/v1/exchange-rates", Json.Body(rate))).StatusCode);
        var rates = await rep.GetFromJsonAsync<JsonObject>("/api/v1/exchange-rates?currency=SEK");
        Assert.Single(rates!["items"]!.AsArray());
    }
}

public sealed class MetricsApiOnSqliteTests(SqliteServer server) : MetricsApiTests(server), IClassFixture<SqliteServer>;

public sealed class MetricsApiOnPostgresTests(PostgresServer server) : MetricsApiTests(server), IClassFixture<PostgresServer>;
