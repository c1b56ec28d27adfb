using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Demo;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Routing;

/// <summary>
/// An account's A/B/C tier over real HTTP on both databases: given by the active plan's tier rules with its reason when
/// the account is routed, kept when set by hand (through routing and a plan's activation), given back to the plan when
/// cleared, and every change in the audit trail.
/// </summary>
public abstract class AccountTiersApiTests(ReachServer server)
{
    /// <summary>The demo plan with tier rules: A from 50,000 EUR, B from 10,000 EUR (mid-market's 15,000 is B).</summary>
    const string TieredPlan = DemoPlan.Yaml + "\ntiers:\n  a_min_acv: 50000\n  b_min_acv: 10000\n";

    HttpClient Http => server.Http;

    async Task ActivateAsync(string yaml)
    {
        var response = await Http.PostAsync("/api/v1/plans", Json.Body(new { name = "Tiers " + Guid.NewGuid().ToString("N")[..6], yaml, activate = true }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    async Task<JsonObject> CreateAccountAsync(object body)
    {
        var response = await Http.PostAsync("/api/v1/accounts", Json.Body(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadObjectAsync();
    }

    async Task<JsonObject> PatchAsync(JsonObject account, object patch)
    {
        var response = await Http.PatchAsync($"/api/v1/accounts/{account.Id()}", patch);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadObjectAsync();
    }

    async Task<List<string>> TrailAsync(Guid id)
    {
        await using var db = server.OpenDb();
        return await db.AuditEntries.Where(e => e.EntityId == id).Select(e => e.Changes).ToListAsync();
    }

    [Fact]
    public async Task AnAccountGetsItsTierFromThePlanWithTheReasonAndAHandSetTierIsKeptAndAudited()
    {
        await ActivateAsync(TieredPlan);
        var account = await CreateAccountAsync(new { name = "Tiered GmbH", employees = 60 });
        Assert.Equal(("b", false), ((string)account["tier"]!, (bool)account["tierSetByHand"]!));
        Assert.Contains("segment mid-market ACV 15,000 EUR below 50,000 EUR (the plan's a_min_acv)", (string)account["tierReason"]!, StringComparison.Ordinal);
        Assert.EndsWith("→ B", (string)account["tierReason"]!, StringComparison.Ordinal);

        var set = await PatchAsync(account, new { tier = "a" });
        Assert.Equal(("a", true, "set by hand"), ((string)set["tier"]!, (bool)set["tierSetByHand"]!, (string)set["tierReason"]!));
        // Routed again (a smaller company: self-service, C by the plan), the hand-set tier stays.
        var moved = await PatchAsync(account, new { employees = 10 });
        Assert.Equal(("small", "a", "set by hand"), ((string)moved["segment"]!, (string)moved["tier"]!, (string)moved["tierReason"]!));
        // Cleared, the plan decides again.
        var cleared = await PatchAsync(account, JsonNode.Parse("""{"tier":null}""")!);
        Assert.Equal(("c", false), ((string)cleared["tier"]!, (bool)cleared["tierSetByHand"]!));
        Assert.EndsWith("→ C", (string)cleared["tierReason"]!, StringComparison.Ordinal);

        var trail = await TrailAsync(account.Id());
        Assert.Contains(trail, c => c.Contains("\"tier\":{\"before\":\"b\",\"after\":\"a\"}", StringComparison.Ordinal)
            && c.Contains("\"tierSetByHand\":{\"before\":false,\"after\":true}", StringComparison.Ordinal));
        Assert.Contains(trail, c => c.Contains("\"tier\":{\"before\":\"a\",\"after\":\"c\"}", StringComparison.Ordinal)
            && c.Contains("\"tierSetByHand\":{\"before\":true,\"after\":false}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ActivatingAPlanWithOtherTiersReTiersAccountsKeepsHandSetOnesAndAuditsEachChange()
    {
        await ActivateAsync(TieredPlan);
        var mid = await CreateAccountAsync(new { name = "Retier AG", employees = 60 });
        var byHand = await CreateAccountAsync(new { name = "ByHand AG", employees = 60, tier = "c" });
        Assert.Equal(("b", "c", "set by hand"), ((string)mid["tier"]!, (string)byHand["tier"]!, (string)byHand["tierReason"]!));
        var deal = await Http.PostAsync("/api/v1/deals", Json.Body(new { name = "Retier pilot", accountId = mid.Id(), amount = 15000m, currency = "EUR", channel = "inside" }));
        Assert.Equal(HttpStatusCode.Created, deal.StatusCode);
        var dealDay = DateOnly.FromDateTime((DateTime)(await deal.ReadObjectAsync())["createdAt"]!);
        long DayVersion(Reach.Data.ReachDb db) => db.MetricRollupDays.Where(d => d.Day == dealDay).Select(d => d.Version).Single();
        long before;
        await using (var db = server.OpenDb())
            before = DayVersion(db);

        // Mid-market's 15,000 EUR is now above a_min_acv: A.
        await ActivateAsync(DemoPlan.Yaml + "\ntiers:\n  a_min_acv: 12000\n  b_min_acv: 5000\n");

        var retiered = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/accounts/{mid.Id()}");
        Assert.Equal(("a", false), ((string)retiered!["tier"]!, (bool)retiered["tierSetByHand"]!));
        Assert.Contains("12,000 EUR", (string)retiered["tierReason"]!, StringComparison.Ordinal);
        var kept = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/accounts/{byHand.Id()}");
        Assert.Equal(("c", true, "set by hand"), ((string)kept!["tier"]!, (bool)kept["tierSetByHand"]!, (string)kept["tierReason"]!));

        Assert.Contains(await TrailAsync(mid.Id()), c => c.Contains("\"tier\":{\"before\":\"b\",\"after\":\"a\"}", StringComparison.Ordinal));
        Assert.DoesNotContain(await TrailAsync(byHand.Id()), c => c.Contains("\"after\":\"a\"", StringComparison.Ordinal));
        // The figures cut by tier read the account's: the days of its deal are rebuilt.
        await using (var db = server.OpenDb())
            Assert.True(DayVersion(db) > before, "The day of the re-tiered account's deal is not marked stale.");
    }

    [Fact]
    public async Task AnImportedTierCountsAsSetByHandAndAnAccountImportedWithoutOneGetsThePlans()
    {
        await ActivateAsync(TieredPlan);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var csv = $"name,domain,employees,tier\nImported {tag},imported-{tag}.example,60,c\nPlain {tag},plain-{tag}.example,60,\n";
        var response = await Http.PostAsync("/api/v1/imports?as=accounts", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (int)(await response.ReadObjectAsync())["inserted"]!);

        await using var db = server.OpenDb();
        var imported = await db.Accounts.SingleAsync(a => a.Domain == $"imported-{tag}.example");
        Assert.Equal((Reach.Data.Tier.C, true, "set by hand"), (imported.Tier, imported.TierSetByHand, imported.TierReason));
        var plain = await db.Accounts.SingleAsync(a => a.Domain == $"plain-{tag}.example");
        Assert.Equal((Reach.Data.Tier.B, false), (plain.Tier, plain.TierSetByHand));
        Assert.EndsWith("→ B", plain.TierReason, StringComparison.Ordinal);
    }
}

public sealed class AccountTiersApiOnSqliteTests(SqliteServer server) : AccountTiersApiTests(server), IClassFixture<SqliteServer>;

public sealed class AccountTiersApiOnPostgresTests(PostgresServer server) : AccountTiersApiTests(server), IClassFixture<PostgresServer>;
