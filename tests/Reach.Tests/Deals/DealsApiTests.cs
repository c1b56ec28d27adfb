using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Deals;

/// <summary>A deal's cast of characters, its line items, lost reasons and who moved it, over real HTTP on each provider.</summary>
public abstract class DealsApiTests(ReachServer server)
{
    HttpClient Http => server.Http;

    async Task<JsonObject> CreateAsync(string resource, object body, HttpClient? http = null)
    {
        var response = await (http ?? Http).PostAsync($"/api/v1/{resource}", Json.Body(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    async Task<(JsonObject Account, JsonObject Deal)> NewDealAsync(HttpClient? http = null, decimal amount = 12000m)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var account = await CreateAsync("accounts", new { name = "Cast " + tag, domain = $"cast-{tag}.example", employees = 80, channel = "inside" }, http);
        var deal = await CreateAsync("deals", new { name = "Pilot " + tag, accountId = account.Id(), amount, currency = "EUR", channel = "inside" }, http);
        return (account, deal);
    }

    async Task<Guid> NewContactAsync(Guid accountId, string first, HttpClient? http = null) =>
        (await CreateAsync("contacts", new { firstName = first, lastName = "Tester", accountId, email = $"{first.ToLowerInvariant()}-{Guid.NewGuid():N}@cast.example" }, http)).Id();

    async Task<Guid> StageAsync(JsonObject deal, Func<JsonObject, bool> pick)
    {
        var pipeline = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/pipelines/{(string)deal["pipelineId"]!}");
        return pipeline!["stages"]!.AsArray().Select(s => s!.AsObject()).First(pick).Id();
    }

    [Fact]
    public async Task ContactsGetARoleInTheDealAndTheCoverageSaysWhichNeededRoleIsMissing()
    {
        var (account, deal) = await NewDealAsync();
        var ada = await NewContactAsync(account.Id(), "Ada");
        var bob = await NewContactAsync(account.Id(), "Bob");

        var first = await Http.PostAsync($"/api/v1/deals/{deal.Id()}/contacts", Json.Body(new { contactId = ada, role = "champion" }));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var cast = await first.ReadObjectAsync();
        Assert.Equal(["economic_buyer"], cast["missing"]!.AsArray().Select(m => (string)m!));

        await Http.PostAsync($"/api/v1/deals/{deal.Id()}/contacts", Json.Body(new { contactId = bob, role = "blocker" }));
        var changed = await Http.PatchAsync($"/api/v1/deals/{deal.Id()}/contacts/{bob}", new { role = "economic_buyer" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        cast = (await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals/{deal.Id()}/contacts"))!;
        Assert.Empty(cast["missing"]!.AsArray());
        Assert.Equal(["Ada Tester:champion", "Bob Tester:economic_buyer"], cast["items"]!.AsArray().Select(i => $"{(string)i!["name"]!}:{(string)i["role"]!}"));

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/v1/deals/{deal.Id()}/contacts/{ada}")).StatusCode);
        cast = (await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals/{deal.Id()}/contacts"))!;
        Assert.Equal(["champion"], cast["missing"]!.AsArray().Select(m => (string)m!));
    }

    [Fact]
    public async Task AnUnknownContactOrRoleIsRefusedNamingTheField()
    {
        var (_, deal) = await NewDealAsync();

        var unknown = await Http.PostAsync($"/api/v1/deals/{deal.Id()}/contacts", Json.Body(new { contactId = Guid.NewGuid(), role = "champion" }));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.NotNull((await unknown.ReadObjectAsync())["errors"]!["contactId"]);

        var noRole = await Http.PostAsync($"/api/v1/deals/{deal.Id()}/contacts", Json.Body(new { contactId = Guid.NewGuid() }));
        Assert.Equal(HttpStatusCode.BadRequest, noRole.StatusCode);
        Assert.NotNull((await noRole.ReadObjectAsync())["errors"]!["role"]);
    }

    [Fact]
    public async Task LineItemsMakeTheAmountAndATypedAmountThatDisagreesIsRefused()
    {
        var (_, deal) = await NewDealAsync(amount: 999m);
        var seats = await CreateAsync("products", new { name = "Seats " + Guid.NewGuid().ToString("N")[..6], listPrice = 100m, currency = "EUR" });
        var onboarding = await CreateAsync("products", new { name = "Onboarding " + Guid.NewGuid().ToString("N")[..6], listPrice = 2500m, currency = "USD" });

        var added = await Http.PostAsync($"/api/v1/deals/{deal.Id()}/line-items", Json.Body(new { productId = seats.Id(), quantity = 50, discount = 0.1m }));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(4500m, (decimal)(await added.ReadObjectAsync())["amount"]!);

        // A product priced in another currency needs the price in the deal's.
        var noPrice = await Http.PostAsync($"/api/v1/deals/{deal.Id()}/line-items", Json.Body(new { productId = onboarding.Id(), quantity = 1 }));
        Assert.Equal(HttpStatusCode.BadRequest, noPrice.StatusCode);
        Assert.NotNull((await noPrice.ReadObjectAsync())["errors"]!["unitPrice"]);
        var second = await (await Http.PostAsync($"/api/v1/deals/{deal.Id()}/line-items", Json.Body(new { productId = onboarding.Id(), quantity = 1, unitPrice = 2000m }))).ReadObjectAsync();
        Assert.Equal(6500m, (decimal)second["amount"]!);

        var item = second["items"]!.AsArray().Select(i => i!.AsObject()).Single(i => (Guid)i["productId"]! == seats.Id());
        var patched = await Http.PatchAsync($"/api/v1/deals/{deal.Id()}/line-items/{item.Id()}", new { quantity = 10 });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(2900m, (decimal)(await patched.ReadObjectAsync())["amount"]!);
        Assert.Equal(2900m, (decimal)(await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals/{deal.Id()}"))!["amount"]!);

        var typed = await Http.PatchAsync($"/api/v1/deals/{deal.Id()}", new { amount = 1m });
        Assert.Equal(HttpStatusCode.BadRequest, typed.StatusCode);
        Assert.NotNull((await typed.ReadObjectAsync())["errors"]!["amount"]);
        // Other fields still change; the amount stays the lines' sum.
        var renamed = await Http.PatchAsync($"/api/v1/deals/{deal.Id()}", new { nextStep = "Send the order form" });
        Assert.Equal(2900m, (decimal)(await renamed.ReadObjectAsync())["amount"]!);

        var removed = await Http.DeleteAsync($"/api/v1/deals/{deal.Id()}/line-items/{item.Id()}");
        Assert.Equal(2000m, (decimal)(await removed.ReadObjectAsync())["amount"]!);
    }

    [Fact]
    public async Task LostReasonsAreSeededAndChangedOnlyByAnAdmin()
    {
        var list = await Http.GetFromJsonAsync<JsonObject>("/api/v1/lost-reasons");
        var names = list!["items"]!.AsArray().Select(r => (string)r!["name"]!).ToList();
        Assert.Contains("Price", names);
        Assert.Contains("Lost to status quo", names);

        var (_, repToken) = await server.AddUserAsync(UserRole.Rep, "Rep of reasons");
        var (_, managerToken) = await server.AddUserAsync(UserRole.Manager, "Manager of reasons", "Reasons team");
        var existing = list["items"]!.AsArray()[0]!.AsObject().Id();
        foreach (var token in new[] { repToken, managerToken })
        {
            using var http = server.NewClient(token);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/lost-reasons")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync("/api/v1/lost-reasons", Json.Body(new { name = "Mine " + token[^6..] }))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await http.PatchAsync($"/api/v1/lost-reasons/{existing}", new { name = "Renamed" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await http.DeleteAsync($"/api/v1/lost-reasons/{existing}")).StatusCode);
        }

        var created = await CreateAsync("lost-reasons", new { name = "Security review failed" });
        var duplicate = await Http.PostAsync("/api/v1/lost-reasons", Json.Body(new { name = "security review FAILED" }));
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        var retired = await Http.PatchAsync($"/api/v1/lost-reasons/{created.Id()}", new { isActive = false });
        Assert.False((bool)(await retired.ReadObjectAsync())["isActive"]!);
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/v1/lost-reasons/{created.Id()}")).StatusCode);

        // Every change of the list is in the audit trail, newest first.
        var trail = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/audit?entityId={created.Id()}");
        Assert.Equal(["delete", "update", "create"], trail!["items"]!.AsArray().Select(e => (string)e!["action"]!));
        Assert.All(trail["items"]!.AsArray(), e => Assert.Equal("lostReason", (string)e!["entityType"]!));
    }

    [Fact]
    public async Task ALostDealTakesAReasonFromTheListAndAnUnknownOneIsRefused()
    {
        var (_, deal) = await NewDealAsync();
        var lost = await StageAsync(deal, s => (string)s["outcome"]! == "lost");

        var unknown = await Http.PatchAsync($"/api/v1/deals/{deal.Id()}", new { stageId = lost, lostReason = "The moon was full" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var problem = await unknown.ReadObjectAsync();
        Assert.Contains("Price", (string)problem["errors"]!["lostReason"]![0]!);
        Assert.Equal("open", (string)(await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals/{deal.Id()}"))!["status"]!);

        var known = await Http.PatchAsync($"/api/v1/deals/{deal.Id()}", new { stageId = lost, lostReason = "no decision" });
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        var stored = await known.ReadObjectAsync();
        Assert.Equal("lost", (string)stored["status"]!);
        Assert.Equal("No decision", (string)stored["lostReason"]!);
    }

    [Fact]
    public async Task EveryStageMoveRecordsWhoMadeIt()
    {
        var (rep, token) = await server.AddUserAsync(UserRole.Rep, "Mover");
        using var http = server.NewClient(token);
        var (_, deal) = await NewDealAsync(http);
        var next = await StageAsync(deal, s => (int)s["position"]! == 2);

        var moved = await http.PatchAsync($"/api/v1/deals/{deal.Id()}", new { stageId = next });

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var history = await http.GetFromJsonAsync<JsonArray>($"/api/v1/deals/{deal.Id()}/history");
        Assert.All(history!, change => Assert.Equal(rep.Id, (Guid)change!["byUserId"]!));
        await using var db = server.OpenDb();
        Assert.Equal(2, await db.DealStageChanges.CountAsync(c => c.DealId == deal.Id() && c.ByUserId == rep.Id));
    }

    [Fact]
    public async Task ARepChangesTheContactsAndLinesOfTheirOwnDealsOnly()
    {
        var (_, tomToken) = await server.AddUserAsync(UserRole.Rep, "Tom of cast");
        var (_, ravToken) = await server.AddUserAsync(UserRole.Rep, "Ravi of cast");
        using var tom = server.NewClient(tomToken);
        using var ravi = server.NewClient(ravToken);
        var (account, deal) = await NewDealAsync(tom);
        var ada = await NewContactAsync(account.Id(), "Ada", tom);

        Assert.Equal(HttpStatusCode.OK, (await tom.PostAsync($"/api/v1/deals/{deal.Id()}/contacts", Json.Body(new { contactId = ada, role = "champion" }))).StatusCode);
        // Ravi cannot see Tom's deal at all.
        Assert.Equal(HttpStatusCode.NotFound, (await ravi.PostAsync($"/api/v1/deals/{deal.Id()}/contacts", Json.Body(new { contactId = ada, role = "blocker" }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ravi.GetAsync($"/api/v1/deals/{deal.Id()}/line-items")).StatusCode);
    }
}

public sealed class DealsApiOnSqliteTests(SqliteServer server) : DealsApiTests(server), IClassFixture<SqliteServer>;

public sealed class DealsApiOnPostgresTests(PostgresServer server) : DealsApiTests(server), IClassFixture<PostgresServer>;
