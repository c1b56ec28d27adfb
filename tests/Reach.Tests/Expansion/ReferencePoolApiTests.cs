using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Expansion;

/// <summary>The reference pool through the API: consent, the ranked matches for a prospect, asks against the quarterly limit, the document.</summary>
public abstract class ReferencePoolApiTests(ReachServer server)
{
    HttpClient Http => server.Http;

    async Task<Guid> AccountAsync(string name, string industry, string region, int employees, string segment, Guid? ownerId = null)
    {
        var response = await Http.PostAsync("/api/v1/accounts", Json.Body(new { name = name + " " + Guid.NewGuid().ToString("N")[..6], industry, region, employees, ownerId }));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.ReadObjectAsync()).Id();
        await using var db = server.OpenDb();
        await db.Accounts.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Segment, segment));
        return id;
    }

    async Task ConsentAsync(Guid accountId, object body)
    {
        var response = await Http.PutAsync($"/api/v1/accounts/{accountId}/reference", Json.Body(body));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    static List<JsonObject> Items(JsonObject list) => [.. list["items"]!.AsArray().Select(i => i!.AsObject())];

    [Fact]
    public async Task ARepFindsTheBestReferenceForAProspectAsksForItAndTheQuarterlyLimitHolds()
    {
        var (owner, _) = await server.AddUserAsync(UserRole.Rep, "Rhea Reference");
        var (_, repToken) = await server.AddUserAsync(UserRole.Rep, "Paul Prospector");
        using var rep = server.NewClient(repToken);
        var prospect = await AccountAsync("Prospect", "Fintech", "DACH", 90, "mid-market");
        var best = await AccountAsync("Bankly", "Fintech", "DACH", 120, "mid-market", owner.Id);
        var next = await AccountAsync("Coinly", "fintech", "US", 300, "smb", owner.Id);
        var far = await AccountAsync("Shoply", "Retail", "US", 5000, "enterprise");
        await ConsentAsync(best, new { agreedBy = "Ada Banker", agreedOn = "2026-09-01", call = true, logo = true });
        await ConsentAsync(next, new { agreedBy = "Cy Coin", call = true });
        await ConsentAsync(far, new { agreedBy = "Sam Shop", caseStudy = true, note = "<b>only after launch</b>" });

        var consent = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/accounts/{best}/reference");
        Assert.Equal("Ada Banker", (string)consent!["agreedBy"]!);
        Assert.True((bool)consent["logo"]!);
        var account = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/accounts/{best}");
        Assert.Equal("reference", (string)account!["lifecycle"]!);

        var ranked = Items((await rep.GetFromJsonAsync<JsonObject>($"/api/v1/references?prospect={prospect}"))!);
        Assert.Equal([best, next, far], ranked.Select(i => (Guid)i["accountId"]!).Where(id => id == best || id == next || id == far));
        var reasons = ranked[0]["reasons"]!.AsArray().Select(r => (string)r!).ToList();
        Assert.Contains("same segment (mid-market)", reasons);
        Assert.Contains("same industry (Fintech)", reasons);
        Assert.Contains("same region (DACH)", reasons);
        Assert.Contains("similar size (120 employees; the prospect 90)", reasons);
        Assert.Equal("Rhea Reference", (string)ranked[0]["ownerName"]!);

        Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsync("/api/v1/settings", new { referenceUsesPerQuarter = 1 })).StatusCode);
        try
        {
            var asked = await rep.PostAsync($"/api/v1/references/{best}/asks", Json.Body(new { prospectId = prospect, kind = "call", note = "Their CFO wants to hear from a bank." }));
            Assert.True(asked.StatusCode == HttpStatusCode.Created, await asked.Content.ReadAsStringAsync());
            var ask = await asked.ReadObjectAsync();
            Assert.Equal(1, (int)ask["usesThisQuarter"]!);
            await using (var db = server.OpenDb())
            {
                var task = await db.Activities.IgnoreQueryFilters().SingleAsync(a => a.Id == (Guid)ask["taskId"]!);
                Assert.Equal(owner.Id, task.OwnerId);
                Assert.Equal(best, task.AccountId);
                Assert.NotNull(task.DueAt);
                Assert.StartsWith("Reference ask: a call with Bankly", task.Subject);
                Assert.Contains("Their CFO wants to hear from a bank.", task.Body);
            }

            var again = await rep.PostAsync($"/api/v1/references/{best}/asks", Json.Body(new { prospectId = prospect, kind = "logo" }));
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Contains("referenceUsesPerQuarter", await again.Content.ReadAsStringAsync());

            var after = Items((await rep.GetFromJsonAsync<JsonObject>($"/api/v1/references?prospect={prospect}"))!);
            var used = after.Single(i => (Guid)i["accountId"]! == best);
            Assert.False((bool)used["available"]!);
            Assert.Equal(1, (int)used["usesInAll"]!);
            Assert.NotNull(used["lastUsedAt"]);
            Assert.StartsWith("asked 1 of 1 times this quarter; free again from ", (string)used["unavailable"]!);
            Assert.Equal(next, (Guid)after[0]["accountId"]!);

            var wrongKind = await rep.PostAsync($"/api/v1/references/{far}/asks", Json.Body(new { prospectId = prospect, kind = "call" }));
            Assert.Equal(HttpStatusCode.BadRequest, wrongKind.StatusCode);
            Assert.Contains("agreed to case study, not to a call", await wrongKind.Content.ReadAsStringAsync());
            var notAReference = await rep.PostAsync($"/api/v1/references/{prospect}/asks", Json.Body(new { prospectId = best, kind = "call" }));
            Assert.Equal(HttpStatusCode.NotFound, notAReference.StatusCode);

            var document = await rep.GetFromJsonAsync<JsonObject>($"/api/v1/references/document?prospect={prospect}");
            var offered = Items(document!).Select(i => (Guid)i["accountId"]!).ToList();
            Assert.DoesNotContain(best, offered);
            Assert.Contains(next, offered);
            var html = await rep.GetStringAsync($"/api/v1/references/document?prospect={prospect}&format=html");
            Assert.Contains("Customers like Prospect", html);
            Assert.Contains("Coinly", html);
            Assert.DoesNotContain("Bankly", html);
            Assert.DoesNotContain("<b>only after launch</b>", html);
        }
        finally
        {
            await Http.PatchAsync("/api/v1/settings", new { referenceUsesPerQuarter = 2 });
        }
    }

    [Fact]
    public async Task ConsentNamesWhatWasAgreedIsKeptByTheAccountsOwnerAndCanBeWithdrawn()
    {
        var (owner, ownerToken) = await server.AddUserAsync(UserRole.Rep, "Olga Owner");
        var (_, otherToken) = await server.AddUserAsync(UserRole.Rep, "Otto Other");
        using var ownerClient = server.NewClient(ownerToken);
        using var other = server.NewClient(otherToken);
        var account = await AccountAsync("Kept", "Health", "Nordics", 40, "smb", owner.Id);

        var nothing = await ownerClient.PutAsync($"/api/v1/accounts/{account}/reference", Json.Body(new { agreedBy = "Kim Kept" }));
        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        Assert.Contains("\"call\"", await nothing.Content.ReadAsStringAsync());
        var future = await ownerClient.PutAsync($"/api/v1/accounts/{account}/reference", Json.Body(new { agreedBy = "Kim Kept", agreedOn = "2099-01-01", logo = true }));
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Contains("agreedOn", await future.Content.ReadAsStringAsync());

        var refused = await other.PutAsync($"/api/v1/accounts/{account}/reference", Json.Body(new { agreedBy = "Kim Kept", logo = true }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ownerClient.PutAsync($"/api/v1/accounts/{account}/reference", Json.Body(new { agreedBy = "Kim Kept", logo = true }))).StatusCode);

        var pool = Items((await other.GetFromJsonAsync<JsonObject>("/api/v1/references"))!);
        var entry = pool.Single(i => (Guid)i["accountId"]! == account);
        Assert.Equal(["logo"], entry["agreedTo"]!.AsArray().Select(k => (string)k!));
        Assert.Equal(0, (int)entry["usesInAll"]!);

        await using (var db = server.OpenDb())
            Assert.True(await db.AuditEntries.AnyAsync(e => e.EntityType == "reference"));

        Assert.Equal(HttpStatusCode.Forbidden, (await other.DeleteAsync($"/api/v1/accounts/{account}/reference")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ownerClient.DeleteAsync($"/api/v1/accounts/{account}/reference")).StatusCode);
        pool = Items((await other.GetFromJsonAsync<JsonObject>("/api/v1/references"))!);
        Assert.DoesNotContain(pool, i => (Guid)i["accountId"]! == account);
        Assert.Equal("customer", (string)(await Http.GetFromJsonAsync<JsonObject>($"/api/v1/accounts/{account}"))!["lifecycle"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await ownerClient.DeleteAsync($"/api/v1/accounts/{account}/reference")).StatusCode);
    }
}

public sealed class ReferencePoolApiOnSqliteTests(SqliteServer server) : ReferencePoolApiTests(server), IClassFixture<SqliteServer>;

public sealed class ReferencePoolApiOnPostgresTests(PostgresServer server) : ReferencePoolApiTests(server), IClassFixture<PostgresServer>;
