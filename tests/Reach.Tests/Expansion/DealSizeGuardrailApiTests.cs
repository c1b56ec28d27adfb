using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Expansion;

/// <summary>The deal-size guardrail through the API: the deal's field, the list, the forecast, the manager's list and the setting.</summary>
public abstract class DealSizeGuardrailApiTests(ReachServer server)
{
    HttpClient Http => server.Http;

    async Task<JsonObject> CreateAsync(string resource, object body)
    {
        var response = await Http.PostAsync($"/api/v1/{resource}", Json.Body(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    async Task<Guid> AccountInAsync(string segment)
    {
        var account = await CreateAsync("accounts", new { name = "Co " + Guid.NewGuid().ToString("N")[..6], employees = 68, channel = "inside" });
        await using var db = server.OpenDb();
        await db.Accounts.Where(a => a.Id == account.Id()).ExecuteUpdateAsync(s => s.SetProperty(a => a.Segment, segment));
        return account.Id();
    }

    async Task<JsonObject> DealAsync(Guid accountId, decimal amount, bool won = false)
    {
        var deal = await CreateAsync("deals", new { name = "Deal " + Guid.NewGuid().ToString("N")[..6], accountId, amount, currency = "EUR", channel = "inside" });
        if (!won)
            return deal;
        var pipeline = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/pipelines/{(string)deal["pipelineId"]!}");
        var wonStage = pipeline!["stages"]!.AsArray().Select(s => s!.AsObject()).Single(s => (string)s["outcome"]! == "won");
        var response = await Http.PatchAsync($"/api/v1/deals/{deal.Id()}", new { stageId = wonStage.Id() });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadObjectAsync();
    }

    [Fact]
    public async Task ADealFarAboveTheLargestWinOfItsSegmentSaysSoWithTheFiguresEverywhereTheApiShowsIt()
    {
        var won = await DealAsync(await AccountInAsync("mid-market"), 65_000m, won: true);
        Assert.Null(won["oversized"]);
        var small = await DealAsync(await AccountInAsync("mid-market"), 150_000m);
        Assert.Null(small["oversized"]);

        var big = await DealAsync(await AccountInAsync("mid-market"), 250_000m);

        var flag = big["oversized"]!.AsObject();
        Assert.Equal("3.8× the largest deal won in mid-market, €65k", (string)flag["text"]!);
        Assert.Equal(3.8m, (decimal)flag["ratio"]!);
        Assert.Equal(65_000m, (decimal)flag["largestWon"]!);
        Assert.Equal("mid-market", (string)flag["segment"]!);

        var read = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals/{big.Id()}");
        Assert.Equal("3.8× the largest deal won in mid-market, €65k", (string)read!["oversized"]!["text"]!);
        var list = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals?account={(Guid)big["accountId"]!}");
        Assert.Equal("3.8× the largest deal won in mid-market, €65k", (string)list!["items"]![0]!["oversized"]!["text"]!);

        var forecast = await Http.GetFromJsonAsync<JsonObject>("/api/v1/forecast?trials=200");
        var inForecast = forecast!["oversizedDeals"]!.AsArray().Select(d => d!.AsObject()).Single(d => d.Id() == big.Id());
        Assert.Equal("3.8× the largest deal won in mid-market, €65k", (string)inForecast["oversized"]!["text"]!);

        var managers = await Http.GetFromJsonAsync<JsonObject>("/api/v1/expansion/oversized-deals");
        Assert.Equal(3m, (decimal)managers!["factor"]!);
        var ids = managers["items"]!.AsArray().Select(d => d!.AsObject().Id()).ToList();
        Assert.Contains(big.Id(), ids);
        Assert.DoesNotContain(small.Id(), ids);
    }

    [Fact]
    public async Task ASegmentWithNoWinIsComparedWithTheWholeWorkspaceAndTheFactorIsAWorkspaceSetting()
    {
        await DealAsync(await AccountInAsync("smb"), 80_000m, won: true);
        var deal = await DealAsync(await AccountInAsync("no-wins-here"), 2_500_000m);

        var text = (string)deal["oversized"]!["text"]!;
        Assert.StartsWith("31.3× the largest deal won in the workspace, ", text);
        Assert.Null(deal["oversized"]!["segment"]);

        var changed = await Http.PatchAsync("/api/v1/settings", new { dealSizeFactor = 50 });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(50m, (decimal)(await changed.ReadObjectAsync())["dealSizeFactor"]!);
        var read = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals/{deal.Id()}");
        Assert.Null(read!["oversized"]);

        var refused = await Http.PatchAsync("/api/v1/settings", new { dealSizeFactor = 0.5 });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("dealSizeFactor", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsync("/api/v1/settings", new { dealSizeFactor = 3 })).StatusCode);
    }

    [Fact]
    public async Task AListReadAgainAfterALargerWinComparesWithThatWin()
    {
        // The guardrail is kept between reads (ReadCache) until the next commit: a win in between counts at once.
        var segment = "kept-" + Guid.NewGuid().ToString("N")[..6];
        await DealAsync(await AccountInAsync(segment), 10_000m, won: true);
        var account = await AccountInAsync(segment);
        var big = await DealAsync(account, 100_000m);
        var list = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals?account={account}");
        Assert.StartsWith("10.0× the largest deal won in " + segment, (string)list!["items"]![0]!["oversized"]!["text"]!);
        var again = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals?account={account}");
        Assert.StartsWith("10.0× the largest deal won in " + segment, (string)again!["items"]![0]!["oversized"]!["text"]!);

        await DealAsync(await AccountInAsync(segment), 50_000m, won: true);

        var after = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals?account={account}");
        Assert.Null(after!["items"]![0]!["oversized"]);
        var read = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals/{big.Id()}");
        Assert.Null(read!["oversized"]);
    }

    [Fact]
    public async Task TheManagersListIsRefusedToReps()
    {
        var (_, token) = await server.AddUserAsync(UserRole.Rep, "Rita Rep");
        using var rep = server.NewClient(token);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/api/v1/expansion/oversized-deals")).StatusCode);
    }
}

public sealed class DealSizeGuardrailApiOnSqliteTests(SqliteServer server) : DealSizeGuardrailApiTests(server), IClassFixture<SqliteServer>;

public sealed class DealSizeGuardrailApiOnPostgresTests(PostgresServer server) : DealSizeGuardrailApiTests(server), IClassFixture<PostgresServer>;
