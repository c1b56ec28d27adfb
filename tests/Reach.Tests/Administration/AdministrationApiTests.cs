using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Audit;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Administration;

/// <summary>Teams, users, pipelines, products and the workspace settings over /api/v1: admins change them, reps and managers are refused, the audit records it.</summary>
public abstract class AdministrationApiTests(ReachServer server)
{
    static string Unique(string name) => $"{name} {Guid.NewGuid().ToString("N")[..6]}";

    static async Task<JsonObject> CreatedAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    static async Task<JsonObject> OkAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    async Task<(HttpClient Http, User User)> UserAsync(UserRole role, string name, string? team = null)
    {
        var (user, token) = await server.AddUserAsync(role, name, team);
        return (server.NewClient(token), user);
    }

    async Task<JsonObject> InsideSalesAsync() =>
        (await server.Http.GetFromJsonAsync<JsonObject>("/api/v1/pipelines"))!["items"]!.AsArray().Select(p => p!.AsObject()).First(p => (string)p["channel"]! == "inside");

    [Fact]
    public async Task AnAdminCreatesATeamRenamesItSetsItsManagerAndAddsAUser()
    {
        var (_, manager) = await UserAsync(UserRole.Manager, "Mona");
        var (_, rep) = await UserAsync(UserRole.Rep, "Remy");
        var name = Unique("Hunters");

        var team = await CreatedAsync(await server.Http.PostAsync("/api/v1/teams", Json.Body(new { name, channel = "inside" })));
        var renamed = await OkAsync(await server.Http.PatchAsync($"/api/v1/teams/{team.Id()}", new { name = name + " EU" }));
        var managed = await OkAsync(await server.Http.PatchAsync($"/api/v1/teams/{team.Id()}", new { managerId = manager.Id }));
        await OkAsync(await server.Http.PatchAsync($"/api/v1/users/{rep.Id}", new { team = name + " EU" }));

        Assert.Equal(name + " EU", (string)renamed["name"]!);
        Assert.Equal("Mona", (string)managed["manager"]!);
        var listed = (await server.Http.GetFromJsonAsync<JsonArray>("/api/v1/teams"))!.Select(t => t!.AsObject()).Single(t => t.Id() == team.Id());
        Assert.Equal(1, (int)listed["members"]!);
        Assert.Equal("inside", (string)listed["channel"]!);
        await using var db = server.OpenDb();
        Assert.Equal(team.Id(), (await db.Users.SingleAsync(u => u.Id == rep.Id)).TeamId);
        Assert.Equal(manager.Id, (await db.Teams.SingleAsync(t => t.Id == team.Id())).ManagerId);
        var trail = await db.AuditEntries.Where(e => e.EntityId == team.Id()).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([AuditAction.Create, AuditAction.Update, AuditAction.Update], trail.Select(e => e.Action));
        Assert.Contains("\"name\"", trail[1].Changes);
    }

    [Fact]
    public async Task ATeamWithMembersIsNotRemovedAndAnEmptyOneIs()
    {
        var name = Unique("Closers");
        await UserAsync(UserRole.Rep, "Cleo", name);
        var empty = await CreatedAsync(await server.Http.PostAsync("/api/v1/teams", Json.Body(new { name = Unique("Empty") })));
        Guid full;
        await using (var db = server.OpenDb())
            full = (await db.Teams.SingleAsync(t => t.Name == name)).Id;

        var refused = await server.Http.DeleteAsync($"/api/v1/teams/{full}");
        var removed = await server.Http.DeleteAsync($"/api/v1/teams/{empty.Id()}");
        var duplicate = await server.Http.PostAsync("/api/v1/teams", Json.Body(new { name = name.ToUpperInvariant() }));
        var repManager = await server.Http.PostAsync("/api/v1/teams", Json.Body(new { name = Unique("X"), managerId = (await UserAsync(UserRole.Rep, "Rob")).User.Id }));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("has 1 member(s) (Cleo); move them to another team first", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("exists already", await duplicate.Content.ReadAsStringAsync());
        Assert.Contains("is a rep", await repManager.Content.ReadAsStringAsync());
        await using var check = server.OpenDb();
        Assert.True(await check.Teams.AnyAsync(t => t.Id == full));
        Assert.False(await check.Teams.AnyAsync(t => t.Id == empty.Id()));
    }

    async Task AssertRefusedEverySettingsChangeAsync(HttpClient http, User self)
    {
        var product = await CreatedAsync(await server.Http.PostAsync("/api/v1/products", Json.Body(new { name = Unique("Seat"), listPrice = 100, currency = "EUR" })));
        var deleted = await CreatedAsync(await server.Http.PostAsync("/api/v1/products", Json.Body(new { name = Unique("Old seat"), listPrice = 100, currency = "EUR" })));
        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.DeleteAsync($"/api/v1/products/{deleted.Id()}")).StatusCode);
        var team = await CreatedAsync(await server.Http.PostAsync("/api/v1/teams", Json.Body(new { name = Unique("Guarded") })));
        var pipeline = await InsideSalesAsync();
        var stage = pipeline["stages"]!.AsArray().Select(s => s!.AsObject()).First();
        var (_, other) = await UserAsync(UserRole.Rep, "Otto");
        var before = await SnapshotAsync();

        HttpResponseMessage[] attempts =
        [
            await http.PostAsync("/api/v1/products", Json.Body(new { name = "Mine", listPrice = 1, currency = "EUR" })),
            await http.PatchAsync($"/api/v1/products/{product.Id()}", new { listPrice = 1 }),
            await http.DeleteAsync($"/api/v1/products/{product.Id()}"),
            await http.PostAsync($"/api/v1/products/{deleted.Id()}/restore", null),
            await http.PostAsync("/api/v1/teams", Json.Body(new { name = "Mine" })),
            await http.PatchAsync($"/api/v1/teams/{team.Id()}", new { name = "Mine" }),
            await http.DeleteAsync($"/api/v1/teams/{team.Id()}"),
            await http.PostAsync("/api/v1/users", Json.Body(new { email = $"{Guid.NewGuid():N}@test.example", name = "New" })),
            await http.PatchAsync($"/api/v1/users/{other.Id}", new { role = "admin" }),
            await http.PatchAsync($"/api/v1/users/{other.Id}", new { active = false }),
            await http.PatchAsync($"/api/v1/users/{self.Id}", new { role = "admin" }),
            await http.PostAsync($"/api/v1/users/{other.Id}/reset-password", null),
            await http.PostAsync("/api/v1/pipelines", Json.Body(new { name = "Mine", channel = "field" })),
            await http.PatchAsync($"/api/v1/pipelines/{pipeline.Id()}", new { name = "Mine" }),
            await http.PostAsync($"/api/v1/pipelines/{pipeline.Id()}/stages", Json.Body(new { name = "Mine" })),
            await http.PatchAsync($"/api/v1/pipelines/{pipeline.Id()}/stages/{stage.Id()}", new { probability = 0.99 }),
            await http.DeleteAsync($"/api/v1/pipelines/{pipeline.Id()}/stages/{stage.Id()}"),
            await http.PatchAsync("/api/v1/settings", new { currency = "USD" }),
        ];

        foreach (var response in attempts)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {(int)response.StatusCode} {body}");
            // The refusal comes before anything is read: no count of the workspace's deals in a stage.
            Assert.DoesNotContain("deal", body, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(before, await SnapshotAsync());
        // Reading stays open to everyone.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/teams")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/pipelines")).StatusCode);
    }

    // Everything a refused change could have touched, as stored.
    async Task<string> SnapshotAsync()
    {
        await using var db = server.OpenDb();
        var products = await db.Products.IgnoreQueryFilters().OrderBy(p => p.Id).Select(p => $"{p.Id}:{p.Name}:{p.ListPrice}:{p.DeletedAt}:{p.Version}").ToListAsync();
        var teams = await db.Teams.OrderBy(t => t.Id).Select(t => $"{t.Id}:{t.Name}:{t.ManagerId}").ToListAsync();
        var users = await db.Users.OrderBy(u => u.Id).Select(u => $"{u.Id}:{u.Role}:{u.IsActive}:{u.TeamId}:{u.SecurityStamp}").ToListAsync();
        var stages = await db.Stages.OrderBy(s => s.Id).Select(s => $"{s.Id}:{s.Name}:{s.Probability}:{s.Position}").ToListAsync();
        var pipelines = await db.Pipelines.OrderBy(p => p.Id).Select(p => $"{p.Id}:{p.Name}").ToListAsync();
        var settings = await db.WorkspaceSettings.Select(s => $"{s.Name}:{s.Currency}").ToListAsync();
        return string.Join("\n", [.. products, .. teams, .. users, .. stages, .. pipelines, .. settings]);
    }

    [Fact]
    public async Task ARepGets403OnEveryProductTeamUserStagePipelineAndSettingsChange()
    {
        var (rep, user) = await UserAsync(UserRole.Rep, "Rhea");
        await AssertRefusedEverySettingsChangeAsync(rep, user);
    }

    [Fact]
    public async Task AManagerGets403OnTheSameChanges()
    {
        var (manager, user) = await UserAsync(UserRole.Manager, "Max", Unique("Managed"));
        await AssertRefusedEverySettingsChangeAsync(manager, user);
    }

    [Fact]
    public async Task TheAuditRecordsARolesChangeADisableAnEnableAndTokenChangesWithoutSecrets()
    {
        var (_, user) = await UserAsync(UserRole.Rep, "Tara");

        await OkAsync(await server.Http.PatchAsync($"/api/v1/users/{user.Id}", new { role = "manager" }));
        await OkAsync(await server.Http.PatchAsync($"/api/v1/users/{user.Id}", new { active = false }));
        await OkAsync(await server.Http.PatchAsync($"/api/v1/users/{user.Id}", new { active = true }));
        var token = await CreatedAsync(await server.Http.PostAsync("/api/v1/tokens", Json.Body(new { name = "nightly export", scope = "read" })));
        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.DeleteAsync($"/api/v1/tokens/{token.Id()}")).StatusCode);

        var users = (await server.Http.GetFromJsonAsync<JsonObject>($"/api/v1/audit?entityId={user.Id}"))!["items"]!.AsArray().Select(e => e!.AsObject()).Reverse().ToList();
        var changes = users.Select(e => e["changes"]!.AsObject()).ToList();
        Assert.Equal(["create", "update", "update", "update"], users.Select(e => (string)e["action"]!));
        Assert.Equal("rep", (string)changes[1]["role"]!["before"]!);
        Assert.Equal("manager", (string)changes[1]["role"]!["after"]!);
        Assert.False((bool)changes[2]["isActive"]!["after"]!);
        Assert.True((bool)changes[3]["isActive"]!["after"]!);
        var tokens = (await server.Http.GetFromJsonAsync<JsonObject>($"/api/v1/audit?entityId={token.Id()}"))!["items"]!.AsArray().Select(e => e!.AsObject()).Reverse().ToList();
        Assert.Equal(["create", "update"], tokens.Select(e => (string)e["action"]!));
        Assert.Equal("nightly export", (string)tokens[0]["changes"]!["name"]!["after"]!);
        Assert.NotNull(tokens[1]["changes"]!["revokedAt"]!["after"]);
        var all = await server.Http.GetStringAsync($"/api/v1/audit?entityId={user.Id}") + await server.Http.GetStringAsync($"/api/v1/audit?entityId={token.Id()}");
        foreach (var secret in new[] { "passwordHash", "securityStamp", "\"hash\"", "userStamp", (string)token["token"]! })
            Assert.DoesNotContain(secret, all, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheWorkspaceCurrencyIsStoredAndEveryFigureFollowsIt()
    {
        var before = await OkAsync(await server.Http.GetAsync("/api/v1/settings"));
        Assert.Equal("EUR", (string)before["currency"]!);
        try
        {
            var bad = await server.Http.PatchAsync("/api/v1/settings", new { currency = "ABC", timeZone = "Mars/Olympus" });
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

            var changed = await OkAsync(await server.Http.PatchAsync("/api/v1/settings", new { currency = "USD", name = "Acme GmbH", fiscalYearStartMonth = 4, timeZone = "Europe/Berlin" }));

            Assert.Equal(("USD", "Acme GmbH", 4, "Europe/Berlin"), ((string)changed["currency"]!, (string)changed["name"]!, (int)changed["fiscalYearStartMonth"]!, (string)changed["timeZone"]!));
            var metrics = await server.Http.GetFromJsonAsync<JsonObject>("/api/v1/metrics?metric=bookings");
            Assert.Contains("\"currency\":\"USD\"", metrics!.ToJsonString());
            var entry = (await server.Http.GetFromJsonAsync<JsonObject>($"/api/v1/audit?entityId={WorkspaceSettings.TheId}"))!["items"]!.AsArray()[0]!.AsObject();
            Assert.Equal("USD", (string)entry["changes"]!["currency"]!["after"]!);
        }
        finally
        {
            await server.Http.PatchAsync("/api/v1/settings", new { currency = "EUR" });
        }
    }

    [Fact]
    public async Task AStageWithDealsIsDeletedOnlyByMovingThemToAnotherOpenStage()
    {
        var pipeline = await CreatedAsync(await server.Http.PostAsync("/api/v1/pipelines", Json.Body(new { name = Unique("Partners"), channel = "inside", stages = new[] { new { name = "Intro" }, new { name = "Trial" } } })));
        var stages = pipeline["stages"]!.AsArray().Select(s => s!.AsObject()).ToList();
        var (intro, trial, won) = (stages[0].Id(), stages[1].Id(), stages.Single(s => (string)s["outcome"]! == "won").Id());
        var added = await CreatedAsync(await server.Http.PostAsync($"/api/v1/pipelines/{pipeline.Id()}/stages", Json.Body(new { name = "Legal", probability = 0.7, usualDaysInStage = 14, exitCriteria = "Signed" })));
        Assert.Equal(14, (int)added["usualDaysInStage"]!);
        Assert.Equal(3, (int)added["position"]!);
        var account = await CreatedAsync(await server.Http.PostAsync("/api/v1/accounts", Json.Body(new { name = Unique("Partner") })));
        var deal = await CreatedAsync(await server.Http.PostAsync("/api/v1/deals", Json.Body(new { name = "Pilot", accountId = account.Id(), amount = 1000, currency = "EUR", pipelineId = pipeline.Id(), stageId = intro })));

        var refused = await server.Http.DeleteAsync($"/api/v1/pipelines/{pipeline.Id()}/stages/{intro}");
        var closing = await server.Http.DeleteAsync($"/api/v1/pipelines/{pipeline.Id()}/stages/{intro}?moveTo={won}");
        var moved = await server.Http.DeleteAsync($"/api/v1/pipelines/{pipeline.Id()}/stages/{intro}?moveTo={trial}");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("1 deal(s) are in the stage 'Intro'", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, closing.StatusCode);
        Assert.Contains("would close them", await closing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, moved.StatusCode);
        await using var db = server.OpenDb();
        Assert.Equal(trial, (await db.Deals.SingleAsync(d => d.Id == deal.Id())).StageId);
        Assert.True(await db.DealStageChanges.AnyAsync(c => c.DealId == deal.Id() && c.FromStageId == intro && c.ToStageId == trial));
        Assert.Equal(["Trial", "Legal", "Won", "Lost"], await db.Stages.Where(s => s.PipelineId == pipeline.Id()).OrderBy(s => s.Position).Select(s => s.Name).ToListAsync());
    }

    [Fact]
    public async Task APipelineIsDeletedOverTheApiOnlyWhileItHoldsNoDeal()
    {
        var empty = await CreatedAsync(await server.Http.PostAsync("/api/v1/pipelines", Json.Body(new { name = Unique("Spare"), channel = "field" })));
        var busy = await CreatedAsync(await server.Http.PostAsync("/api/v1/pipelines", Json.Body(new { name = Unique("Busy"), channel = "field", stages = new[] { new { name = "Intro" } } })));
        var account = await CreatedAsync(await server.Http.PostAsync("/api/v1/accounts", Json.Body(new { name = Unique("Busy") })));
        // A pipeline with only Won and Lost has nowhere to start a deal: refused, not dropped into Won.
        var nowhere = await server.Http.PostAsync("/api/v1/deals", Json.Body(new { name = "Nowhere", accountId = account.Id(), amount = 1000, currency = "EUR", pipelineId = empty.Id() }));
        Assert.Equal(HttpStatusCode.BadRequest, nowhere.StatusCode);
        Assert.Contains("no open stage to start a deal in", await nowhere.Content.ReadAsStringAsync());
        await CreatedAsync(await server.Http.PostAsync("/api/v1/deals", Json.Body(new { name = "Held", accountId = account.Id(), amount = 1000, currency = "EUR", pipelineId = busy.Id() })));

        var deleted = await server.Http.DeleteAsync($"/api/v1/pipelines/{empty.Id()}");
        var refused = await server.Http.DeleteAsync($"/api/v1/pipelines/{busy.Id()}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/api/v1/pipelines/{empty.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var why = await refused.Content.ReadAsStringAsync();
        Assert.True(why.Contains("still holds 1 deal(s) (1 open)", StringComparison.Ordinal), why);
        await using var db = server.OpenDb();
        Assert.False(await db.Stages.AnyAsync(s => s.PipelineId == empty.Id()));
    }

    [Fact]
    public async Task AClosedStageDeletedMovesItsDealsKeepingWhenTheyClosed()
    {
        var pipeline = await CreatedAsync(await server.Http.PostAsync("/api/v1/pipelines", Json.Body(new { name = Unique("Renewals"), channel = "inside", stages = new[] { new { name = "Intro" } } })));
        var won = pipeline["stages"]!.AsArray().Select(s => s!.AsObject()).Single(s => (string)s["outcome"]! == "won").Id();
        var legacy = await CreatedAsync(await server.Http.PostAsync($"/api/v1/pipelines/{pipeline.Id()}/stages", Json.Body(new { name = "Won (legacy)", outcome = "won", probability = 1 })));
        var account = await CreatedAsync(await server.Http.PostAsync("/api/v1/accounts", Json.Body(new { name = Unique("Renewer") })));
        var deal = await CreatedAsync(await server.Http.PostAsync("/api/v1/deals", Json.Body(new { name = "Renewal", accountId = account.Id(), amount = 800, currency = "EUR", pipelineId = pipeline.Id(), stageId = won })));
        var closed = new DateTime(2026, 3, 31, 12, 0, 0, DateTimeKind.Utc);
        await using (var db = server.OpenDb())
            await db.Deals.Where(d => d.Id == deal.Id()).ExecuteUpdateAsync(d => d.SetProperty(x => x.ClosedAt, closed).SetProperty(x => x.StageEnteredAt, closed));

        var moved = await server.Http.DeleteAsync($"/api/v1/pipelines/{pipeline.Id()}/stages/{won}?moveTo={legacy.Id()}");

        Assert.Equal(HttpStatusCode.NoContent, moved.StatusCode);
        await using var check = server.OpenDb();
        var after = await check.Deals.SingleAsync(d => d.Id == deal.Id());
        Assert.Equal((legacy.Id(), Reach.Deals.DealStatus.Won, closed), (after.StageId, after.Status, after.ClosedAt!.Value));
    }
}

public sealed class AdministrationApiOnSqliteTests(SqliteServer server) : AdministrationApiTests(server), IClassFixture<SqliteServer>;

public sealed class AdministrationApiOnPostgresTests(PostgresServer server) : AdministrationApiTests(server), IClassFixture<PostgresServer>;
