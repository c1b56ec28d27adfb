using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Accounts;
using Reach.Audit;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Audit;

/// <summary>What the audit trail records for writes over the API, and that nothing can rewrite it; run against each provider.</summary>
public abstract class AuditTrailTests(ReachServer server)
{
    HttpClient Http => server.Http;

    async Task<JsonObject> CreateAsync(string resource, object body)
    {
        var response = await Http.PostAsync($"/api/v1/{resource}", Json.Body(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadObjectAsync();
    }

    async Task<JsonObject> NewAccountAsync(string name = "Acme") =>
        await CreateAsync("accounts", new { name, domain = $"{name.ToLowerInvariant()}-{Guid.NewGuid():N}.example", employees = 120, channel = "inside", tier = "B" });

    async Task<JsonObject> NewDealAsync(Guid accountId) =>
        await CreateAsync("deals", new { name = "Pilot", accountId, amount = 12000m, currency = "EUR", channel = "inside" });

    async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await Http.SendAsync(request);
    }

    /// <summary>The entries about one entity, oldest first.</summary>
    async Task<List<JsonObject>> TrailAsync(Guid entityId)
    {
        var page = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/audit?entityId={entityId}");
        return page!["items"]!.AsArray().Select(e => e!.AsObject()).Reverse().ToList();
    }

    async Task<int> CountEntriesAsync()
    {
        await using var db = server.OpenDb();
        return await db.AuditEntries.CountAsync();
    }

    static List<string?> Actions(List<JsonObject> trail) => trail.Select(e => (string?)e["action"]).ToList();

    static JsonObject Changes(JsonObject entry) => entry["changes"]!.AsObject();

    static Guid EntityId(JsonObject entry) => Guid.Parse((string)entry["entityId"]!);

    [Fact]
    public async Task CreatingPatchingDeletingAndRestoringAnAccountLeavesOneEntryEach()
    {
        var account = await NewAccountAsync("Acme");
        var id = account.Id();

        Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsync($"/api/v1/accounts/{id}", new { employees = 200 }, ifMatch: "\"1\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/v1/accounts/{id}", ifMatch: "\"2\"")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{id}/restore")).StatusCode);

        var trail = await TrailAsync(id);
        Assert.Equal(["create", "update", "delete", "restore"], Actions(trail));
        Assert.All(trail, e =>
        {
            Assert.Equal("account", (string)e["entityType"]!);
            // The test server's client signs in with the token of a user named "admin".
            Assert.Equal("admin", (string)e["actorName"]!);
            Assert.NotNull(e["actorId"]);
        });

        var created = Changes(trail[0]);
        Assert.Equal("Acme", (string)created["name"]!["after"]!);
        Assert.Null(created["name"]!["before"]);
        Assert.Equal(120, (int)created["employees"]!["after"]!);
        Assert.Equal("inside", (string)created["channel"]!["after"]!);
        Assert.False(created.ContainsKey("version") || created.ContainsKey("updatedAt") || created.ContainsKey("id") || created.ContainsKey("deletedAt"),
            created.ToJsonString());

        var updated = Changes(trail[1]);
        Assert.Equal(["employees"], updated.Select(c => c.Key));
        Assert.Equal(120, (int)updated["employees"]!["before"]!);
        Assert.Equal(200, (int)updated["employees"]!["after"]!);

        var deleted = Changes(trail[2]);
        Assert.Equal(["deletedAt"], deleted.Select(c => c.Key));
        Assert.Null(deleted["deletedAt"]!["before"]);
        Assert.NotNull(deleted["deletedAt"]!["after"]);

        var restored = Changes(trail[3]);
        Assert.Equal(["deletedAt"], restored.Select(c => c.Key));
        Assert.Equal((string)deleted["deletedAt"]!["after"]!, (string)restored["deletedAt"]!["before"]!);
        Assert.Null(restored["deletedAt"]!["after"]);
    }

    [Fact]
    public async Task CreatingPatchingDeletingAndRestoringADealLeavesOneEntryEach()
    {
        var account = await NewAccountAsync("Globex");
        var deal = await NewDealAsync(account.Id());
        var id = deal.Id();

        var patch = await Http.PatchAsync($"/api/v1/deals/{id}", new { amount = 15000m, nextStep = "Call the CFO" }, ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/v1/deals/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/deals/{id}/restore")).StatusCode);

        var trail = await TrailAsync(id);
        Assert.Equal(["create", "update", "delete", "restore"], Actions(trail));
        Assert.All(trail, e => Assert.Equal("deal", (string)e["entityType"]!));

        var created = Changes(trail[0]);
        Assert.Equal(account.Id(), Guid.Parse((string)created["accountId"]!["after"]!));
        Assert.Equal((string)deal["stageId"]!, (string)created["stageId"]!["after"]!);
        Assert.Equal(12000m, (decimal)created["amount"]!["after"]!);

        var updated = Changes(trail[1]);
        Assert.Equal(["amount", "nextStep"], updated.Select(c => c.Key).Order());
        Assert.Equal(12000m, (decimal)updated["amount"]!["before"]!);
        Assert.Equal(15000m, (decimal)updated["amount"]!["after"]!);
        Assert.Null(updated["nextStep"]!["before"]);
        Assert.Equal("Call the CFO", (string)updated["nextStep"]!["after"]!);

        Assert.Equal(["deletedAt"], Changes(trail[2]).Select(c => c.Key));
        Assert.Equal(["deletedAt"], Changes(trail[3]).Select(c => c.Key));
    }

    [Fact]
    public async Task FailedWritesLeaveNoEntry()
    {
        var account = await NewAccountAsync("Initech");
        var deal = await NewDealAsync(account.Id());
        Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsync($"/api/v1/accounts/{account.Id()}", new { employees = 200 }, ifMatch: "\"1\"")).StatusCode);
        var before = await CountEntriesAsync();

        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Http.PatchAsync($"/api/v1/accounts/{account.Id()}", new { employees = 5 }, ifMatch: "\"1\"")).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await SendAsync(HttpMethod.Delete, $"/api/v1/accounts/{account.Id()}", ifMatch: "\"1\"")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.PatchAsync($"/api/v1/deals/{deal.Id()}", new { amount = -5, name = "Renamed" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.PostAsync("/api/v1/accounts", Json.Raw("""{"name":"X","employees":-3}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.PostAsync("/api/v1/deals", Json.Body(new { name = "Ghost", accountId = Guid.NewGuid(), amount = 10, currency = "EUR", channel = "field" }))).StatusCode);

        Assert.Equal(before, await CountEntriesAsync());
        Assert.Equal(["create", "update"], Actions(await TrailAsync(account.Id())));
        Assert.Equal(["create"], Actions(await TrailAsync(deal.Id())));
    }

    [Fact]
    public async Task ASaveThatLosesARaceTakesItsEntriesBackWithIt()
    {
        var account = await NewAccountAsync("Hooli");
        await using var loser = server.OpenDb();
        var stale = await loser.Accounts.SingleAsync(a => a.Id == account.Id());
        await using (var winner = server.OpenDb())
        {
            (await winner.Accounts.SingleAsync(a => a.Id == account.Id())).Industry = "Search";
            await winner.SaveChangesAsync();
        }
        var before = await CountEntriesAsync();

        stale.Industry = "Video";
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => loser.SaveChangesAsync());

        Assert.Equal(before, await CountEntriesAsync());
        Assert.DoesNotContain(loser.ChangeTracker.Entries<AuditEntry>(), e => e.State == EntityState.Added);
        var trail = await TrailAsync(account.Id());
        Assert.Equal("Search", (string)Changes(trail[^1])["industry"]!["after"]!);
    }

    [Fact]
    public async Task EntriesNameTheActorSetOnTheContext()
    {
        var rita = new Actor(Guid.CreateVersion7(), UserRole.Rep, null, "Rita Rep");
        Guid id;
        await using (var db = server.OpenDb())
        {
            db.Actor = rita;
            var account = new Account { Name = "Rita's account" };
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            id = account.Id;
        }

        var byId = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/audit?actor={rita.UserId}");
        var byName = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/audit?actor={Uri.EscapeDataString(rita.Name)}");

        foreach (var page in new[] { byId!, byName! })
        {
            var entry = Assert.Single(page["items"]!.AsArray())!.AsObject();
            Assert.Equal(id, Guid.Parse((string)entry["entityId"]!));
            Assert.Equal(rita.UserId, Guid.Parse((string)entry["actorId"]!));
            Assert.Equal("Rita Rep", (string)entry["actorName"]!);
        }
    }

    [Fact]
    public async Task TheTrailFiltersByEntityAndTypeAndPages()
    {
        var first = await NewAccountAsync("Umbrella");
        var second = await NewAccountAsync("Soylent");
        await Http.PatchAsync($"/api/v1/accounts/{second.Id()}", new { industry = "Food" });
        var deal = await NewDealAsync(first.Id());

        var trail = await TrailAsync(first.Id());
        Assert.Equal(first.Id(), EntityId(Assert.Single(trail)));

        var deals = await Http.GetFromJsonAsync<JsonObject>("/api/v1/audit?entityType=deal&limit=500");
        Assert.All(deals!["items"]!.AsArray(), e => Assert.Equal("deal", (string)e!["entityType"]!));
        Assert.Contains(deals["items"]!.AsArray(), e => EntityId(e!.AsObject()) == deal.Id());

        var page = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/audit?entityId={second.Id()}&limit=1");
        Assert.Equal("update", (string)page!["items"]![0]!["action"]!);
        var next = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/audit?entityId={second.Id()}&limit=1&cursor={(string)page["nextCursor"]!}");
        Assert.Equal("create", (string)next!["items"]![0]!["action"]!);
        Assert.Null(next["nextCursor"]);

        var now = server.Clock.UtcNow;
        var future = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/audit?from={now.AddHours(1):O}");
        Assert.Empty(future!["items"]!.AsArray());
        var past = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/audit?entityId={first.Id()}&to={now.AddHours(1):O}&from={now.AddHours(-1):O}");
        Assert.Single(past!["items"]!.AsArray());
    }

    [Theory]
    [InlineData("entityType=invoice", "entityType")]
    [InlineData("entityId=42", "entityId")]
    [InlineData("from=yesterday", "from")]
    [InlineData("sort=at", "sort")]
    [InlineData("colour=red", "colour")]
    public async Task BadFiltersGetAProblemNamingTheParameter(string queryString, string parameter)
    {
        var response = await Http.GetAsync($"/api/v1/audit?{queryString}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadObjectAsync())["errors"]!.AsObject().ContainsKey(parameter));
    }

    [Fact]
    public async Task StageChangesAreAuditedToo()
    {
        var pipelines = await Http.GetFromJsonAsync<JsonObject>("/api/v1/pipelines");
        var pipeline = pipelines!["items"]![0]!.AsObject();
        var added = await Http.PostAsync($"/api/v1/pipelines/{pipeline.Id()}/stages", Json.Body(new { name = "Security review " + Guid.NewGuid().ToString("N")[..6], probability = 0.6m }));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var stage = await added.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/v1/pipelines/{pipeline.Id()}/stages/{stage.Id()}")).StatusCode);

        var trail = await TrailAsync(stage.Id());
        Assert.Equal(["create", "delete"], Actions(trail));
        Assert.Equal("stage", (string)trail[0]["entityType"]!);
        Assert.Equal((string)stage["name"]!, (string)Changes(trail[1])["name"]!["before"]!);
        Assert.Null(Changes(trail[1])["name"]!["after"]);
    }

    [Fact]
    public async Task NoRouteWritesToTheTrail()
    {
        await NewAccountAsync("Vandelay");
        await using var db = server.OpenDb();
        var entry = await db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).FirstAsync();
        var before = await CountEntriesAsync();

        foreach (var (method, url) in new[]
        {
            (HttpMethod.Post, "/api/v1/audit"),
            (HttpMethod.Put, $"/api/v1/audit/{entry.Id}"),
            (HttpMethod.Patch, $"/api/v1/audit/{entry.Id}"),
            (HttpMethod.Delete, $"/api/v1/audit/{entry.Id}"),
            (HttpMethod.Delete, "/api/v1/audit"),
            (HttpMethod.Patch, $"/api/v1/audit?entityId={entry.EntityId}"),
        })
        {
            using var request = new HttpRequestMessage(method, url) { Content = Json.Body(new { actorName = "mallory", changes = "{}" }) };
            var response = await Http.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{method} {url} answered {(int)response.StatusCode}");
        }

        Assert.Equal(before, await CountEntriesAsync());
        await using var check = server.OpenDb();
        var stored = await check.AuditEntries.SingleAsync(e => e.Id == entry.Id);
        Assert.Equal((entry.ActorName, entry.Changes, entry.At), (stored.ActorName, stored.Changes, stored.At));
    }

    [Fact]
    public async Task SaveChangesRefusesToChangeOrRemoveAnEntry()
    {
        await NewAccountAsync("Kramerica");
        long id;
        string changes;

        await using (var db = server.OpenDb())
        {
            var entry = await db.AuditEntries.OrderBy(e => e.Id).FirstAsync();
            (id, changes) = (entry.Id, entry.Changes);
            db.Entry(entry).Property(e => e.Changes).CurrentValue = "{}";
            Assert.Throws<InvalidOperationException>(() => db.SaveChanges());
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        }
        await using (var db = server.OpenDb())
        {
            db.AuditEntries.Remove(await db.AuditEntries.SingleAsync(e => e.Id == id));
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        }

        await using var check = server.OpenDb();
        Assert.Equal(changes, (await check.AuditEntries.SingleAsync(e => e.Id == id)).Changes);
    }
}

public sealed class AuditTrailOnSqliteTests(SqliteServer server) : AuditTrailTests(server), IClassFixture<SqliteServer>;

public sealed class AuditTrailOnPostgresTests(PostgresServer server) : AuditTrailTests(server), IClassFixture<PostgresServer>;
