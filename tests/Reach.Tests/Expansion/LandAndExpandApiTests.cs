using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Expansion;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Expansion;

/// <summary>An account's land-and-expand story and the report with retention by cohort, through the API on both databases.</summary>
public abstract class LandAndExpandApiTests(ReachServer server)
{
    HttpClient Http => server.Http;

    async Task<JsonObject> CreateAsync(string resource, object body)
    {
        var response = await Http.PostAsync($"/api/v1/{resource}", Json.Body(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    // A deal closed (won or lost) on a day of the past: moved through the API, then dated where the story needs it.
    async Task ClosedAsync(Guid accountId, string kind, decimal amount, DateTime at, string outcome = "won")
    {
        var deal = await CreateAsync("deals", new { name = $"{kind} {Guid.NewGuid().ToString("N")[..6]}", accountId, amount, currency = "EUR", channel = "inside", kind });
        var pipeline = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/pipelines/{(string)deal["pipelineId"]!}");
        var stage = pipeline!["stages"]!.AsArray().Select(s => s!.AsObject()).First(s => (string)s["outcome"]! == outcome);
        object change = outcome == "won" ? new { stageId = stage.Id() } : new { stageId = stage.Id(), lostReason = "Price" };
        var moved = await Http.PatchAsync($"/api/v1/deals/{deal.Id()}", change);
        Assert.True(moved.StatusCode == HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());
        await using var db = server.OpenDb();
        await db.Deals.Where(d => d.Id == deal.Id()).ExecuteUpdateAsync(s => s.SetProperty(d => d.ClosedAt, at));
    }

    [Fact]
    public async Task AManagerWhoCannotSeeTheAccountsWinsIsNotToldNothingWasWon()
    {
        var (_, managerToken) = await server.AddUserAsync(Reach.Data.UserRole.Manager, "Story Mia", $"Story North {Guid.NewGuid():N}");
        var (rob, _) = await server.AddUserAsync(Reach.Data.UserRole.Rep, "Story Rob", $"Story South {Guid.NewGuid():N}");
        var account = (await CreateAsync("accounts", new { name = "Elsewhere " + Guid.NewGuid().ToString("N")[..4] })).Id();
        await ClosedAsync(account, "new", 8_000m, server.Clock.UtcNow.AddMonths(-2));
        await using (var db = server.OpenDb())
            await db.Deals.Where(d => d.AccountId == account).ExecuteUpdateAsync(s => s.SetProperty(d => d.OwnerId, rob.Id));

        try
        {
            using var manager = server.NewClient(managerToken);
            var hers = await manager.GetFromJsonAsync<JsonObject>($"/api/v1/expansion/accounts/{account}");
            Assert.Null(hers!["landedAt"]);
            Assert.True((bool)hers["winsOutOfView"]!);
            var admins = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/expansion/accounts/{account}");
            Assert.Equal(8_000m, (decimal)admins!["landAmount"]!);
            Assert.False((bool)admins["winsOutOfView"]!);
        }
        finally
        {
            // The report test of this class counts every landed account of the workspace: this one leaves none behind.
            await using var db = server.OpenDb();
            await db.Deals.Where(d => d.AccountId == account).ExecuteUpdateAsync(s => s.SetProperty(d => d.DeletedAt, server.Clock.UtcNow));
        }
    }

    [Fact]
    public async Task TheStoryAndTheReportTellLandExpansionRenewalChurnAndRetentionByCohort()
    {
        var now = server.Clock.UtcNow;
        var landed = new DateTime(now.Year, now.Month, 1, 10, 0, 0, DateTimeKind.Utc).AddMonths(-15);
        var grower = (await CreateAsync("accounts", new { name = "Grower " + Guid.NewGuid().ToString("N")[..4] })).Id();
        var churner = (await CreateAsync("accounts", new { name = "Churner " + Guid.NewGuid().ToString("N")[..4] })).Id();
        await ClosedAsync(grower, "new", 10_000m, landed);
        await ClosedAsync(grower, "expansion", 5_000m, landed.AddMonths(5));
        await ClosedAsync(grower, "renewal", 15_500m, landed.AddMonths(12).AddDays(-10));
        await ClosedAsync(churner, "new", 20_000m, landed.AddHours(2));
        await ClosedAsync(churner, "renewal", 20_000m, landed.AddMonths(13), outcome: "lost");

        var story = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/expansion/accounts/{grower}");
        Assert.Equal(15_000m, (decimal)story!["arr"]!);
        Assert.Equal(10_000m, (decimal)story["landAmount"]!);
        Assert.Equal(["land", "expansion", "renewal"], story["steps"]!.AsArray().Select(s => (string)s!["role"]!));
        Assert.Equal([10_000m, 15_000m, 15_000m], story["steps"]!.AsArray().Select(s => (decimal)s!["arrAfter"]!));
        var months = story["arrByMonth"]!.AsArray();
        Assert.Equal(10_000m, (decimal)months[0]!["arr"]!);
        Assert.Equal(15_000m, (decimal)months[^1]!["arr"]!);
        var churned = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/expansion/accounts/{churner}");
        Assert.Equal(0m, (decimal)churned!["arr"]!);
        Assert.Equal("churn", (string)churned["steps"]!.AsArray()[^1]!["role"]!);

        var cohortName = LandAndExpand.CohortOf(landed);
        var report = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/expansion/land-and-expand?cohort={cohortName}");
        var all = report!["rows"]!.AsArray().Select(r => r!.AsObject()).Single(r => (string)r["group"]! == "all");
        Assert.Equal(2, (int)all["landed"]!);
        Assert.Equal(15_000m, (decimal)all["medianLand"]!);
        Assert.Equal(0.5, (double)all["expansionRate"]!);
        Assert.Contains(report["rows"]!.AsArray(), r => (string)r!["group"]! == "channel" && (string)r["name"]! == "inside");
        var cohort = report["cohorts"]!.AsArray().Select(c => c!.AsObject()).Single(c => (string)c["cohort"]! == cohortName);
        Assert.Equal(30_000m, (decimal)cohort["startArr"]!);
        Assert.Equal(35_000m, (decimal)cohort["arrAt12Months"]!);
        Assert.Equal(1.167, (double)cohort["nrr"]!);
        Assert.Equal(1.0, (double)cohort["grr"]!);
        Assert.Equal(0.5, (double)cohort["nrrToDate"]!);
        Assert.Equal(2, cohort["accountList"]!.AsArray().Count);

        var bad = await Http.GetAsync("/api/v1/expansion/land-and-expand?cohort=last-year");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("cohort", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/v1/expansion/accounts/{Guid.NewGuid()}")).StatusCode);
    }
}

public sealed class LandAndExpandApiOnSqliteTests(SqliteServer server) : LandAndExpandApiTests(server), IClassFixture<SqliteServer>;

public sealed class LandAndExpandApiOnPostgresTests(PostgresServer server) : LandAndExpandApiTests(server), IClassFixture<PostgresServer>;
