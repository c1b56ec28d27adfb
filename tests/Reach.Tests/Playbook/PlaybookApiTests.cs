using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Playbook;

/// <summary>/api/v1/playbook over real HTTP on each database provider: versions, search, tags, who may write, a deal's items.</summary>
public abstract class PlaybookApiTests(ReachServer server)
{
    HttpClient Http => server.Http;
    static readonly string[] PriceAndSecurity = ["Price", "Security"];
    static readonly string[] PriceOnly = ["Price"];

    static string Unique(string title) => $"{title} {Guid.NewGuid().ToString("N")[..8]}";

    async Task<JsonObject> CreateAsync(object body, HttpClient? client = null)
    {
        var response = await (client ?? Http).PostAsync("/api/v1/playbook", Json.Body(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadObjectAsync();
    }

    [Fact]
    public async Task EveryChangeIsANewVersionAndThePreviousOnesStayReadable()
    {
        var item = await CreateAsync(new { kind = "script", title = Unique("Proposal call"), body = "Hi, calling about the proposal.", stage = "proposal" });
        Assert.Equal(1, (int)item["version"]!);
        Assert.Equal("Proposal", (string)item["stage"]!);

        var changed = await Http.PatchAsync($"/api/v1/playbook/{item.Id()}", new { body = "Hi, two quick things on the proposal." }, ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(2, (int)(await changed.ReadObjectAsync())["version"]!);
        var same = await Http.PatchAsync($"/api/v1/playbook/{item.Id()}", new { body = "Hi, two quick things on the proposal." });
        Assert.Equal(2, (int)(await same.ReadObjectAsync())["version"]!);
        var stale = await Http.PatchAsync($"/api/v1/playbook/{item.Id()}", new { body = "Overwrite" }, ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);

        var versions = await Http.GetFromJsonAsync<JsonArray>($"/api/v1/playbook/{item.Id()}/versions");
        Assert.Equal([2, 1], versions!.Select(v => (int)v!["version"]!));
        Assert.All(versions!, v => Assert.False(string.IsNullOrEmpty((string)v!["changedByName"]!)));
        var first = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/playbook/{item.Id()}/versions/1");
        Assert.Equal("Hi, calling about the proposal.", (string)first!["body"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/v1/playbook/{item.Id()}/versions/9")).StatusCode);
    }

    [Fact]
    public async Task RepsReadThePlaybookAndManagersWriteIt()
    {
        var (_, repToken) = await server.AddUserAsync(UserRole.Rep, "Playbook Rep " + Guid.NewGuid().ToString("N")[..6]);
        var (_, managerToken) = await server.AddUserAsync(UserRole.Manager, "Playbook Manager " + Guid.NewGuid().ToString("N")[..6]);
        using var rep = server.NewClient(repToken);
        using var manager = server.NewClient(managerToken);

        var item = await CreateAsync(new { kind = "one_pager", title = Unique("One-pager") }, manager);
        Assert.Equal(HttpStatusCode.OK, (await rep.GetAsync($"/api/v1/playbook/{item.Id()}")).StatusCode);

        var refused = await rep.PostAsync("/api/v1/playbook", Json.Body(new { kind = "script", title = "Mine" }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("managers and admins", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PatchAsync($"/api/v1/playbook/{item.Id()}", new { title = "Changed" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.DeleteAsync($"/api/v1/playbook/{item.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await manager.DeleteAsync($"/api/v1/playbook/{item.Id()}")).StatusCode);
    }

    [Fact]
    public async Task BadInputIsRefusedNamingTheField()
    {
        var stage = await Http.PostAsync("/api/v1/playbook", Json.Body(new { kind = "script", title = "x", stage = "Closing time" }));
        Assert.Equal(HttpStatusCode.BadRequest, stage.StatusCode);
        var problem = await stage.ReadObjectAsync();
        Assert.Contains("Closing time", (string)problem["errors"]!["stage"]![0]!, StringComparison.Ordinal);

        var link = await Http.PostAsync("/api/v1/playbook", Json.Body(new { kind = "references", title = "x", link = "javascript:alert(1)" }));
        Assert.Equal(HttpStatusCode.BadRequest, link.StatusCode);
        Assert.NotNull((await link.ReadObjectAsync())["errors"]!["link"]);

        var kind = await Http.PostAsync("/api/v1/playbook", Json.Body(new { kind = "poem", title = "x" }));
        Assert.Equal(HttpStatusCode.BadRequest, kind.StatusCode);
    }

    [Fact]
    public async Task SearchFindsTextAndTagFiltersKeepItemsForEveryValue()
    {
        var word = "zebra" + Guid.NewGuid().ToString("N")[..6];
        var forA = await CreateAsync(new { kind = "difficult_qa", title = $"Why not build it ourselves? {word}", body = "Because…", segment = "A" });
        var forAll = await CreateAsync(new { kind = "difficult_qa", title = "Is it secure?", body = $"Yes: SOC 2. {word.ToUpperInvariant()}" });
        var forB = await CreateAsync(new { kind = "difficult_qa", title = $"Too expensive {word}", segment = "B" });

        var found = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/playbook?q={word}&segment=a");
        Assert.Equal([forA.Id(), forAll.Id()], found!["items"]!.AsArray().Select(i => i!.AsObject().Id()).Order());
        var all = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/playbook?q={word}&kind=difficult_qa");
        Assert.Equal(3, all!["items"]!.AsArray().Count);
        Assert.Contains(forB.Id(), all["items"]!.AsArray().Select(i => i!.AsObject().Id()));

        var unknown = await Http.GetAsync("/api/v1/playbook?flavour=mint");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task ADealsPlaybookHasTheItemsOfItsStageSegmentAndChannel()
    {
        var account = await (await Http.PostAsync("/api/v1/accounts", Json.Body(new { name = "Playbook Co", domain = $"pb-{Guid.NewGuid():N}.example", tier = "A", channel = "inside" }))).ReadObjectAsync();
        var deal = await (await Http.PostAsync("/api/v1/deals", Json.Body(new { name = "Playbook pilot", accountId = account.Id(), amount = 1000, currency = "EUR", channel = "inside" }))).ReadObjectAsync();
        var fits = await CreateAsync(new { kind = "script", title = Unique("Qualified call"), stage = "Qualified", channel = "inside", segment = "A" });
        var otherStage = await CreateAsync(new { kind = "script", title = Unique("Negotiation call"), stage = "Negotiation" });
        var otherSegment = await CreateAsync(new { kind = "urgency_angle", title = Unique("Quarter end for C"), segment = "C" });
        var otherChannel = await CreateAsync(new { kind = "one_pager", title = Unique("Field one-pager"), channel = "field" });

        var items = (await Http.GetFromJsonAsync<JsonArray>($"/api/v1/deals/{deal.Id()}/playbook"))!.Select(i => i!.AsObject().Id()).ToList();

        Assert.Contains(fits.Id(), items);
        Assert.DoesNotContain(otherStage.Id(), items);
        Assert.DoesNotContain(otherSegment.Id(), items);
        Assert.DoesNotContain(otherChannel.Id(), items);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/v1/deals/{Guid.NewGuid()}/playbook")).StatusCode);
    }

    [Fact]
    public async Task TheMatrixIsEditedWholeAndTheWinRateCountsTheClosedDealsNamingEachCompetitor()
    {
        var rival = "Rival " + Guid.NewGuid().ToString("N")[..6];
        var put = await Http.PutAsync("/api/v1/playbook/matrix", Json.Body(new
        {
            criteria = PriceAndSecurity,
            competitors = new object[] { new { name = rival, cells = new Dictionary<string, string> { ["Price"] = "Cheaper", ["Security"] = "No SSO" } }, new { name = "Spreadsheets" } },
        }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var account = await (await Http.PostAsync("/api/v1/accounts", Json.Body(new { name = "Rivalry Co", domain = $"rv-{Guid.NewGuid():N}.example" }))).ReadObjectAsync();
        async Task<JsonObject> DealAsync(string? competitor) => await (await Http.PostAsync("/api/v1/deals", Json.Body(new { name = "Against " + competitor, accountId = account.Id(), amount = 1000, currency = "EUR", channel = "inside", competitor }))).ReadObjectAsync();
        var won = await DealAsync(rival.ToUpperInvariant());
        Assert.Equal(rival, (string)won["competitor"]!);
        var lost = await DealAsync(rival);
        var open = await DealAsync(rival);
        var pipeline = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/pipelines/{(string)won["pipelineId"]!}");
        JsonObject Stage(string outcome) => pipeline!["stages"]!.AsArray().Select(s => s!.AsObject()).First(s => (string)s["outcome"]! == outcome);
        Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsync($"/api/v1/deals/{won.Id()}", new { stageId = Stage("won").Id() })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsync($"/api/v1/deals/{lost.Id()}", new { stageId = Stage("lost").Id(), lostReason = "Price" })).StatusCode);

        var unknown = await Http.PostAsync("/api/v1/deals", Json.Body(new { name = "Against nobody", accountId = account.Id(), amount = 1000, currency = "EUR", channel = "inside", competitor = "Nobody Inc" }));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var refusal = await unknown.Content.ReadAsStringAsync();
        Assert.True(refusal.Contains("competitor", StringComparison.Ordinal) && refusal.Contains("Nobody Inc", StringComparison.Ordinal), refusal);

        var matrix = await Http.GetFromJsonAsync<JsonObject>("/api/v1/playbook/matrix");
        Assert.Equal(["Price", "Security"], matrix!["criteria"]!.AsArray().Select(c => (string)c!));
        var row = matrix["competitors"]!.AsArray().Select(c => c!.AsObject()).Single(c => (string)c["name"]! == rival);
        Assert.Equal("No SSO", (string)row["cells"]!["Security"]!);
        Assert.Equal(1, (int)row["won"]!);
        Assert.Equal(1, (int)row["lost"]!);
        Assert.Equal(0.5m, (decimal)row["winRate"]!);
        Assert.Null(matrix["competitors"]!.AsArray().Single(c => (string)c!["name"]! == "Spreadsheets")!["winRate"]);
        Assert.Equal(rival, (string)(await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals/{open.Id()}"))!["competitor"]!);

        var badCell = await Http.PutAsync("/api/v1/playbook/matrix", Json.Body(new { criteria = PriceOnly, competitors = new object[] { new { name = rival, cells = new Dictionary<string, string> { ["Colour"] = "Blue" } } } }));
        Assert.Equal(HttpStatusCode.BadRequest, badCell.StatusCode);
        Assert.Contains("Colour", (string)(await badCell.ReadObjectAsync())["errors"]!["competitors[0].cells"]![0]!, StringComparison.Ordinal);
        var (_, repToken) = await server.AddUserAsync(UserRole.Rep, "Matrix Reader " + Guid.NewGuid().ToString("N")[..6]);
        using var rep = server.NewClient(repToken);
        Assert.Equal(HttpStatusCode.OK, (await rep.GetAsync("/api/v1/playbook/matrix")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PutAsync("/api/v1/playbook/matrix", Json.Body(new { criteria = Array.Empty<string>(), competitors = Array.Empty<object>() }))).StatusCode);
    }
}

public sealed class PlaybookApiOnSqliteTests(SqliteServer server) : PlaybookApiTests(server), IClassFixture<SqliteServer>;

public sealed class PlaybookApiOnPostgresTests(PostgresServer server) : PlaybookApiTests(server), IClassFixture<PostgresServer>;
